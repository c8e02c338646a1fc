"""Load the seed questionnaire, creating only the questions that are missing.

Run after `load_content`: answer weights point at the seeded causes. A question that already
exists (matched by key) is left, with its options and weights, exactly as an editor left it.
"""

import tomllib
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from causes.management.commands.load_content import create_missing
from causes.models import Cause, WarningSign
from editorial.lifecycle import Status
from questionnaire import releases
from questionnaire.models import Option, OptionWeight, Question

SEED_FILE = Path(__file__).resolve().parents[2] / "seed" / "questionnaire.toml"


class Command(BaseCommand):
    help = "Create the seed questionnaire's questions, with their options and weights, that are not there yet."

    def handle(self, *args, **options):
        seed = tomllib.loads(SEED_FILE.read_text(encoding="utf-8"))
        try:
            with transaction.atomic():
                created = load_questionnaire(seed)
        except PermissionDenied as why:  # the release service refused: nothing was loaded
            raise CommandError(f"Nothing was loaded. {why}") from None
        self.stdout.write(self.style.SUCCESS(f"Seed questionnaire loaded: created {created} questions."))


def load_questionnaire(seed: dict) -> int:
    """Create each missing question with its options and their cause weights."""
    published = {
        "status": Status.PUBLISHED,
        "last_reviewed": seed["last_reviewed"],
        "next_review_due": seed["next_review_due"],
    }
    causes = {cause.slug: cause for cause in Cause.objects.all()}
    signs = {sign.key: sign for sign in WarningSign.objects.all()}
    created_count = 0
    for item in seed["questions"]:
        opened_by = {}
        if "asked_if" in item:  # [earlier question key, its answer's label]: that question is loaded by now
            key, label = item["asked_if"]
            opened_by["asked_if"] = Option.objects.get(question__key=key, label=label)
        question, created = create_missing(
            Question, "key", item, links={"options", "asked_if"}, **published, **opened_by
        )
        if not created:
            continue
        created_count += 1
        for entry in item["options"]:
            fields = {key: value for key, value in entry.items() if key not in {"weights", "sign"}}
            option = Option.objects.create(question=question, sign=signs.get(entry.get("sign", "")), **fields)
            weights = [
                OptionWeight(option=option, cause=causes[slug], weight=weight)
                for slug, weight in entry["weights"].items()
                if slug in causes
            ]
            bulk_create_with_history(weights, OptionWeight, default_change_reason="Loaded from the seed file.")
    if created_count:  # the seed was reviewed: it is what readers get until a reviewer approves a change
        releases.release_seed()  # refused while a person's change waits: a reviewer releases both together
    return created_count
