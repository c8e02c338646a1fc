"""Every seeded page, read as readers get it: landmarks, nothing from other sites, friendly 404s.

The seed is loaded once for the module; each test runs in its own savepoint.
"""

import re

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

PAGES = ["/", "/causes/", "/remedies/", "/faq/", "/about/", "/privacy/", "/pages/accessibility/"]


def _text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_one_h1_a_skip_link_landmarks_and_the_disclaimer(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = _text(response)
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert 'href="#main-content"' in html and 'id="main-content"' in html
    for landmark in ("<header", "<main", "<footer", '<nav aria-label="Main"'):
        assert landmark in html
    assert "It is not a diagnosis" in html
    assert "Page last reviewed" in html and "Next review due" in html


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_nothing_from_other_sites(client, path):
    html = _text(client.get(path))
    # Loaded by nothing: the page's canonical address, and JSON-LD (data for search engines, never run).
    html = re.sub(r'<link rel="canonical" href="[^"]*">', "", html)
    html = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.DOTALL)
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html.replace('href="https://', "")), html
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']https?://""", html)
    assert "<script" not in html
    assert "style=" not in html


HOSTILE_PATHS = [
    "/causes/does-not-exist/",
    "/causes/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
    "/causes/caf%C3%A9/",
    "/causes/%00/",
    "/causes/" + "a" * 5000 + "/",
    "/remedies/" + "x-" * 3000 + "/",
    "/causes/../../etc/passwd",
    "/faq/%FF%FE/",
    "/%E2%80%AE/",
    "/causes/caffeine/extra/",
    "/" + "deep/" * 500,
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_unknown_or_hostile_paths_get_the_friendly_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in _text(response)
    assert "Traceback" not in _text(response)


@pytest.mark.parametrize("query", ["?page=abc", "?q=%00", "?slug=<script>", "?" + "a=1&" * 2000])
def test_odd_query_strings_are_ignored(client, query):
    for path in ("/causes/", "/causes/caffeine/", "/faq/"):
        assert client.get(path + query).status_code == 200
