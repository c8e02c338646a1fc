"""The glossary's database read: its live words, for linking pages."""

from django.db.models import QuerySet

from causes import selectors

from . import linking
from .models import GlossaryTerm


def site_wide_part() -> QuerySet:
    """The live words as a part of the site-wide query (causes.selectors.ADDED_PARTS): one query for both."""
    return selectors.union_part(GlossaryTerm.objects.published(), "glossary", texts=("term", "slug", "also"))


def glossary_terms() -> tuple[linking.Term, ...]:
    """Every live glossary word and its other forms, by word (read with the site-wide data, once a version)."""
    return tuple(
        sorted(
            (linking.Term(term, slug, also) for term, slug, also, *_ in selectors.added_rows("glossary")),
            key=lambda t: t.term,
        )
    )
