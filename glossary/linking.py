"""Glossary links: the first use on a page of each glossary word links to its entry on the glossary page.

Pure functions over plain data, with no Django import. The input is HTML the site made itself (the
templates' output, with editors' Markdown already cleaned by nh3), so a small tokenizer is enough:
text between tags is the only thing ever changed, and only where a link is added.
"""

import html
import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Term:
    """A glossary word, its other forms and its anchor on the glossary page."""

    term: str
    slug: str
    also: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        """Every form that links here, the word first: 'neuropathies, neuropathic' adds two."""
        forms = [self.term, *self.also.split(",")]
        return tuple(dict.fromkeys(form.strip() for form in forms if form.strip()))


# Never linked inside these: a link inside a link is invalid, and headings, code and the page's own
# navigation read better plain.
SKIPPED = frozenset(
    {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "script", "style", "button", "label", "nav", "textarea"}
)
_TAG = re.compile(
    r"<!--.*?-->"
    r"|<![^>]*>"
    r"|<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*(/?)>",
    re.DOTALL,
)


def _pattern(terms: tuple[Term, ...]) -> tuple[re.Pattern[str] | None, dict[str, Term]]:
    """One case-insensitive, whole-word pattern for every form of every term, longest first."""
    by_form: dict[str, Term] = {}
    for term in terms:
        for form in term.forms:
            by_form.setdefault(form.casefold(), term)
    if not by_form:
        return None, by_form
    alternatives = "|".join(re.escape(form) for form in sorted(by_form, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE), by_form


@lru_cache(maxsize=128)
def link_first_uses(page: str, terms: tuple[Term, ...], glossary_url: str) -> str:
    """`page` with the first use of each term (any of its forms) linked to `glossary_url#slug`.

    Whole words only, in any case; never inside a link, a heading, code or navigation. The linked
    text stays the reader's word, escaped; nothing else on the page changes. Cached: the same page
    and glossary give the same result.
    """
    pattern, by_form = _pattern(terms)
    if pattern is None:
        return page
    linked: set[str] = set()
    open_skipped: dict[str, int] = {}
    out: list[str] = []
    position = 0

    def text(raw: str) -> str:
        if any(open_skipped.values()) or len(linked) == len(terms):
            return raw
        plain = html.unescape(raw)
        pieces: list[str] = []
        done = 0
        for match in pattern.finditer(plain):
            term = by_form[match.group().casefold()]
            if term.slug in linked:
                continue
            linked.add(term.slug)
            href = html.escape(f"{glossary_url}#{term.slug}")
            pieces += [html.escape(plain[done : match.start()], quote=False)]
            pieces += [f'<a class="glossary-link" href="{href}">{html.escape(match.group(), quote=False)}</a>']
            done = match.end()
        if not pieces:
            return raw  # unchanged, byte for byte
        return "".join(pieces) + html.escape(plain[done:], quote=False)

    for tag in _TAG.finditer(page):
        out.append(text(page[position : tag.start()]))
        out.append(tag.group())
        position = tag.end()
        closing, name, _, self_closing = tag.group(1, 2, 3, 4)
        name = (name or "").lower()
        if name in SKIPPED and not self_closing:
            open_skipped[name] = max(0, open_skipped.get(name, 0) + (-1 if closing else 1))
    out.append(text(page[position:]))
    return "".join(out)
