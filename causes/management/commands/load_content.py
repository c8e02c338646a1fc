"""Load the seed content, creating only what is missing.

Safe to run on every start: an item that already exists (matched by slug; by title for
sources; by key for questions, with their options and weights) is left exactly as an editor
left it. To retire seeded content, unpublish it rather than delete it, or the next run brings
it back.
"""

import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from causes.models import Cause, Faq, Option, OptionWeight, Question, Remedy, Source, Status

SEED_DIR = Path(__file__).resolve().parents[2] / "seed"


class Command(BaseCommand):
    help = "Create the seed causes, remedies, FAQs, sources and questions that are not in the database yet."

    def handle(self, *args, **options):
        content = tomllib.loads((SEED_DIR / "content.toml").read_text(encoding="utf-8"))
        questionnaire = tomllib.loads((SEED_DIR / "questionnaire.toml").read_text(encoding="utf-8"))
        with transaction.atomic():
            counts = load_content(content)
            counts["questions"] = load_questionnaire(questionnaire, review=content)
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seed content loaded: created {summary}."))


def load_content(content: dict) -> dict[str, int]:
    review = {"last_reviewed": content["last_reviewed"], "next_review_due": content["next_review_due"]}
    published = {"status": Status.PUBLISHED, **review}
    counts = {"sources": 0, "remedies": 0, "causes": 0, "FAQs": 0}

    sources = {}
    for item in content["sources"]:
        sources[item["key"]], created = Source.objects.get_or_create(
            title=item["title"],
            defaults={"publisher": item["publisher"], "url": item["url"], "accessed": item["accessed"]},
        )
        counts["sources"] += created

    for item in content["remedies"]:
        remedy, created = Remedy.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "title": item["title"],
                "summary": item["summary"],
                "body": item["body"],
                "caution": item.get("caution", ""),
                **published,
            },
        )
        if created:
            remedy.sources.set(sources[key] for key in item["sources"])
            counts["remedies"] += 1

    remedies = {remedy.slug: remedy for remedy in Remedy.objects.all()}
    for item in content["causes"]:
        cause, created = Cause.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "title": item["title"],
                "category": item["category"],
                "summary": item["summary"],
                "body": item["body"],
                "self_care": item["self_care"],
                "see_doctor": item["see_doctor"],
                "urgency": item["urgency"],
                **published,
            },
        )
        if created:
            cause.remedies.set(remedies[slug] for slug in item["remedies"] if slug in remedies)
            cause.sources.set(sources[key] for key in item["sources"])
            counts["causes"] += 1

    causes = {cause.slug: cause for cause in Cause.objects.all()}
    for item in content["faqs"]:
        faq, created = Faq.objects.get_or_create(
            slug=item["slug"],
            defaults={"question": item["question"], "answer": item["answer"], "order": item["order"], **published},
        )
        if created:
            faq.causes.set(causes[slug] for slug in item["causes"] if slug in causes)
            counts["FAQs"] += 1
    return counts


def load_questionnaire(questionnaire: dict, *, review: dict) -> int:
    """Create each missing question with its options and their cause weights."""
    causes = {cause.slug: cause for cause in Cause.objects.all()}
    created_count = 0
    for item in questionnaire["questions"]:
        question, created = Question.objects.get_or_create(
            key=item["key"],
            defaults={
                "text": item["text"],
                "help_text": item["help_text"],
                "kind": item["kind"],
                "red_flag": item["red_flag"],
                "order": item["order"],
                "status": Status.PUBLISHED,
                "last_reviewed": review["last_reviewed"],
                "next_review_due": review["next_review_due"],
            },
        )
        if not created:
            continue
        created_count += 1
        for entry in item["options"]:
            option = Option.objects.create(
                question=question,
                label=entry["label"],
                order=entry["order"],
                urgency=entry["urgency"],
                advice=entry["advice"],
            )
            OptionWeight.objects.bulk_create(
                OptionWeight(option=option, cause=causes[slug], weight=weight)
                for slug, weight in entry["weights"].items()
                if slug in causes
            )
    return created_count
