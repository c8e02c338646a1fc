"""Load the seed content, creating only what is missing.

Safe to run on every start: an item that already exists (matched by slug; by title for
sources) is left exactly as an editor left it. To retire seeded content, unpublish it rather
than delete it, or the next run brings it back.
"""

import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import models, transaction

from causes.models import Cause, Faq, Remedy, SitePage, Source, UrgencyWording, WarningSign
from editorial.lifecycle import Status

SEED_DIR = Path(__file__).resolve().parents[2] / "seed"
SEED_FILE = SEED_DIR / "content.toml"


class Command(BaseCommand):
    help = (
        "Create the seed causes, remedies, FAQs, sources, warning signs, site pages and urgency wording "
        "that are not in the database yet."
    )

    def handle(self, *args, **options):
        content = tomllib.loads(SEED_FILE.read_text(encoding="utf-8"))
        with transaction.atomic():
            counts = load_content(content)
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seed content loaded: created {summary}."))


def create_missing(model: type[models.Model], lookup: str, item: dict, *, links: set[str], **extra) -> tuple:
    """Get the item by its lookup field, or create it from the seed's other plain fields plus `extra`.

    `links` names the seed keys that are relations (set after creation), not fields.
    """
    defaults = {key: value for key, value in item.items() if key != lookup and key not in links}
    return model.objects.get_or_create(**{lookup: item[lookup]}, defaults={**defaults, **extra})


def create_linked(
    model: type[models.Model], lookup: str, item: dict, published: dict, sources: dict, **links: dict
) -> tuple:
    """`create_missing`, then a new item's sources and its other links (`links`: seed key -> items by slug).

    Every source key must be in the seed; a slug that names nothing (an editor renamed it) is passed over.
    """
    obj, created = create_missing(model, lookup, item, links={"sources", *links}, **published)
    if created:
        obj.sources.set(sources[key] for key in item["sources"])
        for name, by_slug in links.items():
            getattr(obj, name).set(by_slug[slug] for slug in item[name] if slug in by_slug)
    return obj, created


def published_as_seeded(content: dict | None = None) -> dict:
    """The fields every seeded item starts with: published, with the seed's review dates (content.toml's)."""
    if content is None:
        content = tomllib.loads(SEED_FILE.read_text(encoding="utf-8"))
    return {
        "status": Status.PUBLISHED,
        "last_reviewed": content["last_reviewed"],
        "next_review_due": content["next_review_due"],
    }


class LoadMissing(BaseCommand):
    """A command that creates the items of one seed file's list that are missing, published as seeded.

    Each app's words (glossary terms, search synonyms) load this way, after `load_content`.
    """

    model: type[models.Model]
    lookup: str  # the field that says an item exists already
    seed_file: Path
    key: str  # the seed file's list

    def handle(self, *args, **options):
        items = tomllib.loads(self.seed_file.read_text(encoding="utf-8"))[self.key]
        published = published_as_seeded()
        with transaction.atomic():
            created = sum(create_missing(self.model, self.lookup, item, links=set(), **published)[1] for item in items)
        name = self.model._meta.verbose_name_plural
        self.stdout.write(self.style.SUCCESS(f"Seed {self.key} loaded: created {created} {name}."))


def load_content(content: dict) -> dict[str, int]:
    published = published_as_seeded(content)
    counts = {
        "sources": 0,
        "remedies": 0,
        "causes": 0,
        "FAQs": 0,
        "warning signs": 0,
        "site pages": 0,
        "urgency wordings": 0,
    }

    sources = {}
    for item in content["sources"]:
        item = {**item, "accessed": item.get("accessed")}  # a source with no date was never read: readers see none
        sources[item["key"]], created = create_missing(Source, "title", item, links={"key"}, **published)
        counts["sources"] += created

    for item in content["remedies"]:
        counts["remedies"] += create_linked(Remedy, "slug", item, published, sources)[1]

    remedies = {remedy.slug: remedy for remedy in Remedy.objects.all()}
    new_causes = []
    for item in content["causes"]:
        fields = {key: value for key, value in item.items() if key != "related"}
        cause, created = create_linked(Cause, "slug", fields, published, sources, remedies=remedies)
        if created:
            new_causes.append((cause, item.get("related", [])))
            counts["causes"] += 1

    causes = {cause.slug: cause for cause in Cause.objects.all()}
    for cause, related in new_causes:  # once every cause exists, as one may name a later one
        cause.related.set(causes[slug] for slug in related if slug in causes)
    for item in content["faqs"]:
        counts["FAQs"] += create_linked(Faq, "slug", item, published, sources, causes=causes)[1]
    for item in content["signs"]:
        counts["warning signs"] += create_linked(WarningSign, "key", item, published, sources, causes=causes)[1]

    for item in content.get("pages", []):
        counts["site pages"] += create_missing(SitePage, "slug", item, links=set(), **published)[1]
    for item in content.get("urgency", []):
        counts["urgency wordings"] += create_missing(UrgencyWording, "level", item, links=set(), **published)[1]

    return counts
