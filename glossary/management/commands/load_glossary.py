"""Load the seed glossary (seed/glossary.toml), creating only the terms that are missing.

Safe to run on every start, like `load_content`: a term that exists (by slug) is left as an editor left it.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from causes.management.commands.load_content import load_missing
from glossary.models import GlossaryTerm

SEED_FILE = Path(__file__).resolve().parents[2] / "seed" / "glossary.toml"


class Command(BaseCommand):
    help = "Create the seed glossary terms that are not in the database yet."

    def handle(self, *args, **options):
        created = load_missing(GlossaryTerm, "slug", SEED_FILE, "glossary")
        self.stdout.write(self.style.SUCCESS(f"Seed glossary loaded: created {created} glossary terms."))
