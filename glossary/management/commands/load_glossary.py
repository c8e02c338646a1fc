"""Load the seed glossary (seed/glossary.toml), creating only the terms that are missing.

Safe to run on every start, like `load_content`: a term that exists (by slug) is left as an editor left it.
"""

import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from causes.management.commands.load_content import create_missing, published_as_seeded
from glossary.models import GlossaryTerm

SEED_FILE = Path(__file__).resolve().parents[2] / "seed" / "glossary.toml"


class Command(BaseCommand):
    help = "Create the seed glossary terms that are not in the database yet."

    def handle(self, *args, **options):
        seed = tomllib.loads(SEED_FILE.read_text(encoding="utf-8"))
        published = published_as_seeded()
        with transaction.atomic():
            created = sum(
                create_missing(GlossaryTerm, "slug", item, links=set(), **published)[1] for item in seed["glossary"]
            )
        self.stdout.write(self.style.SUCCESS(f"Seed glossary loaded: created {created} glossary terms."))
