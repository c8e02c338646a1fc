"""Load the seed search synonyms (seed/synonyms.toml): only the ones not in the database yet (by phrase)."""

from pathlib import Path

from causes.management.commands.load_content import LoadMissing
from search.models import Synonym


class Command(LoadMissing):
    help = "Create the seed search synonyms that are not in the database yet, as `load_content` does."
    model = Synonym
    lookup = "phrase"
    seed_file = Path(__file__).resolve().parents[2] / "seed" / "synonyms.toml"
    key = "synonyms"
