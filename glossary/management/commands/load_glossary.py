"""Load the seed glossary (seed/glossary.toml): only the terms not in the database yet (by slug)."""

from pathlib import Path

from causes.management.commands.load_content import LoadMissing
from glossary.models import GlossaryTerm


class Command(LoadMissing):
    help = "Create the seed glossary terms that are not in the database yet, as `load_content` does."
    model = GlossaryTerm
    lookup = "slug"
    seed_file = Path(__file__).resolve().parents[2] / "seed" / "glossary.toml"
    key = "glossary"
