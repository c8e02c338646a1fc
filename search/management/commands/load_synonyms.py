"""Load the seed search synonyms (seed/synonyms.toml), creating only the ones that are missing.

Safe to run on every start, like `load_content`: a synonym that exists (by phrase) is left as an editor left it.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from causes.management.commands.load_content import load_missing
from search.models import Synonym

SEED_FILE = Path(__file__).resolve().parents[2] / "seed" / "synonyms.toml"


class Command(BaseCommand):
    help = "Create the seed search synonyms that are not in the database yet."

    def handle(self, *args, **options):
        created = load_missing(Synonym, "phrase", SEED_FILE, "synonyms")
        self.stdout.write(self.style.SUCCESS(f"Seed synonyms loaded: created {created} search synonyms."))
