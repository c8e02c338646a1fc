"""Load the seed content, creating only what is missing.

Safe to run on every start: an item that already exists (matched by slug; by title for
sources) is left exactly as an editor left it. To retire seeded content, unpublish it rather
than delete it, or the next run brings it back.
"""

import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import models, transaction

from causes.models import Cause, Faq, Remedy, SitePage, Source, Synonym, UrgencyWording, WarningSign
from editorial.lifecycle import Status
from glossary.models import GlossaryTerm

SEED_DIR = Path(__file__).resolve().parents[2] / "seed"
SEED_FILE = SEED_DIR / "content.toml"
WORD_FILES = {"synonyms": SEED_DIR / "synonyms.toml", "glossary": SEED_DIR / "glossary.toml"}


class Command(BaseCommand):
    help = (
        "Create the seed causes, remedies, FAQs, sources, warning signs, site pages and urgency wording "
        "that are not in the database yet."
    )

    def handle(self, *args, **options):
        content = tomllib.loads(SEED_FILE.read_text(encoding="utf-8"))
        for path in WORD_FILES.values():
            content.update(tomllib.loads(path.read_text(encoding="utf-8")))
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


def load_content(content: dict) -> dict[str, int]:
    published = {
        "status": Status.PUBLISHED,
        "last_reviewed": content["last_reviewed"],
        "next_review_due": content["next_review_due"],
    }
    counts = {
        "sources": 0,
        "remedies": 0,
        "causes": 0,
        "FAQs": 0,
        "warning signs": 0,
        "site pages": 0,
        "urgency wordings": 0,
        "synonyms": 0,
        "glossary terms": 0,
    }

    sources = {}
    for item in content["sources"]:
        sources[item["key"]], created = create_missing(Source, "title", item, links={"key"}, **published)
        counts["sources"] += created

    for item in content["remedies"]:
        remedy, created = create_missing(Remedy, "slug", item, links={"sources"}, **published)
        if created:
            remedy.sources.set(sources[key] for key in item["sources"])
            counts["remedies"] += 1

    remedies = {remedy.slug: remedy for remedy in Remedy.objects.all()}
    new_causes = []
    for item in content["causes"]:
        cause, created = create_missing(Cause, "slug", item, links={"remedies", "sources", "related"}, **published)
        if created:
            cause.remedies.set(remedies[slug] for slug in item["remedies"] if slug in remedies)
            cause.sources.set(sources[key] for key in item["sources"])
            new_causes.append((cause, item.get("related", [])))
            counts["causes"] += 1

    causes = {cause.slug: cause for cause in Cause.objects.all()}
    for cause, related in new_causes:  # once every cause exists, as one may name a later one
        cause.related.set(causes[slug] for slug in related if slug in causes)
    # FAQs and warning signs both name the causes they belong to and the sources they cite.
    for section, model, natural_key, counted in (
        ("faqs", Faq, "slug", "FAQs"),
        ("signs", WarningSign, "key", "warning signs"),
    ):
        for item in content[section]:
            row, created = create_missing(model, natural_key, item, links={"causes", "sources"}, **published)
            if created:
                row.causes.set(causes[slug] for slug in item["causes"] if slug in causes)
                row.sources.set(sources[key] for key in item["sources"])
                counts[counted] += 1

    for item in content.get("pages", []):
        counts["site pages"] += create_missing(SitePage, "slug", item, links=set(), **published)[1]
    for item in content.get("urgency", []):
        counts["urgency wordings"] += create_missing(UrgencyWording, "level", item, links=set(), **published)[1]

    for item in content.get("synonyms", []):
        counts["synonyms"] += create_missing(Synonym, "phrase", item, links=set(), **published)[1]
    for item in content.get("glossary", []):
        counts["glossary terms"] += create_missing(GlossaryTerm, "slug", item, links=set(), **published)[1]
    return counts
