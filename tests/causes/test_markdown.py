"""Editor Markdown is rendered, then cleaned: nothing executable reaches a page."""

import pytest

from causes.templatetags.markdown import markdown_filter, render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<p onclick="alert(1)">x</p>',
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example"><input name="x"></form>',
    '<object data="x.swf"></object>',
    "![x](https://evil.example/track.png)",
    '<a href="https://example.org" onmouseover="alert(1)">x</a>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_executable_content_never_survives(payload):
    html = render_markdown(payload).lower()
    for dangerous in (
        "<script",
        "javascript:",
        "vbscript:",
        "data:",
        "onerror",
        "onload",
        "onclick",
        "onmouseover",
        "<iframe",
        "<img",
        "<svg",
        "style=",
        "<style",
        "<form",
        "<input",
        "<object",
    ):
        assert dangerous not in html, f"{dangerous!r} survived in {html!r}"


def test_ordinary_markdown_renders_as_html():
    html = render_markdown("## What it is\n\nA **short** twitch.\n\n- one\n- two\n\n[NHS](https://www.nhs.uk/)")
    assert "<h2>What it is</h2>" in html
    assert "<strong>short</strong>" in html
    assert "<li>one</li>" in html
    assert 'href="https://www.nhs.uk/"' in html
    assert 'rel="noopener noreferrer"' in html


def test_top_level_heading_becomes_h2_so_each_page_keeps_one_h1():
    assert "<h1" not in render_markdown("# Big heading")
    assert "<h2>Big heading</h2>" in render_markdown("# Big heading")


def test_headings_get_no_ids_that_could_clash_on_a_page():
    assert "id=" not in render_markdown("## Other signs")


def test_filter_treats_empty_text_as_nothing():
    assert markdown_filter(None) == ""
    assert markdown_filter("") == ""
