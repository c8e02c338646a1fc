"""Database reads for the A to Z: every page by first letter, with readers' own words as "see" entries."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Value
from django.urls import reverse

from causes.models import Cause, Remedy
from core.cache import rows_of

from .models import Synonym


@dataclass(frozen=True)
class Entry:
    """One line of the A to Z: a cause or remedy page, or a reader's word that means another ("see")."""

    title: str
    url: str
    kind: str  # "cause", "remedy" or "see"
    see: str = ""  # for a reader's word: the word the site uses


@dataclass(frozen=True)
class AToZ:
    letters: list[tuple[str, list[Entry]]]  # each first letter, in order, with its entries by title
    last_reviewed: datetime.date | None  # the least recently reviewed page listed, as on the list pages
    next_review_due: datetime.date | None


def a_to_z() -> AToZ:
    """Every published cause and remedy, and every search synonym as a "see" entry, by first letter (2 queries).

    A synonym points at the page whose title is the word it means, or else at a search for that word.
    """
    shows = ("slug", "title", "last_reviewed", "next_review_due")
    causes = Cause.objects.published().values_list(Value("cause"), *shows, "id")
    remedies = Remedy.objects.published().values_list(Value("remedy"), *shows, "id")
    # The page hangs on those fields of the rows it lists: a summary edit leaves it kept.
    with rows_of(Cause, Remedy, listed=(Cause, Remedy), fields=shows) as shown:
        rows = list(causes.order_by().union(remedies.order_by(), all=True))
        for model, kind in ((Cause, "cause"), (Remedy, "remedy")):
            shown[model].update(row[-1] for row in rows if row[0] == kind)
    pages = {title.casefold(): reverse(f"causes:{kind}-detail", args=[slug]) for kind, slug, title, *_ in rows}
    entries = [Entry(title, reverse(f"causes:{kind}-detail", args=[slug]), kind) for kind, slug, title, *_ in rows]
    search = reverse("search:search")
    entries += [
        Entry(phrase, pages.get(means.casefold()) or f"{search}?{urlencode({'q': means})}", "see", means)
        for phrase, means in Synonym.objects.published().values_list("phrase", "means")
    ]
    letters: dict[str, list[Entry]] = {}
    for entry in sorted(entries, key=lambda entry: entry.title.casefold()):
        first = entry.title[:1].upper()
        letters.setdefault(first if first.isalpha() else "#", []).append(entry)
    return AToZ(
        letters=sorted(letters.items(), key=lambda item: (item[0] == "#", item[0])),
        last_reviewed=min((row[3] for row in rows if row[3]), default=None),
        next_review_due=min((row[4] for row in rows if row[4]), default=None),
    )
