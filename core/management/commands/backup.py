"""Write the site's content and editor accounts to one JSON file that `manage.py restore` loads back.

It holds what people made and nothing that can be rebuilt: content types and permissions come from
`migrate`, so rows name them by natural key, not id. Sessions, sign-in attempts and second factors
(editors enrol again after a restore) are left out; questionnaire answers are never stored at all.
"""

import datetime
import os
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

# Parents before children, so each row's natural keys point back to rows already loaded.
BACKED_UP = ["causes", "glossary", "search", "questionnaire", "auth.Group", "auth.User", "editorial", "admin.LogEntry"]


def backed_up_models() -> list[type[models.Model]]:
    """Every model of the content apps, then the editors' accounts, their changes waiting for review, requests and
    notes (editorial), and the admin's history."""
    found: list[type[models.Model]] = []
    for label in BACKED_UP:
        found += [apps.get_model(label)] if "." in label else list(apps.get_app_config(label).get_models())
    return found


class ExactEncoder(DjangoJSONEncoder):
    """Django's encoder, except that times keep their microseconds (it cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Command(BaseCommand):
    help = "Back up the content, the questionnaire, editor accounts and the admin's history to a JSON file."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, help="The file to write (default: backups/toesite-<date>-<time>.json)."
        )

    def handle(self, *args, path: Path | None, **options):
        path = path or settings.BASE_DIR / "backups" / f"toesite-{timezone.now():%Y%m%d-%H%M%S}.json"
        if path.suffix != ".json":
            raise CommandError(f"{path}: a backup's name must end in .json, which is how `restore` reads it.")
        if path.exists():
            raise CommandError(f"{path} already exists: choose another name.")
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.partial")  # a failed backup never looks like a good one
        # Password hashes are in it: readable by its owner only.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        outermost = not connection.in_atomic_block
        try:
            with open(descriptor, "w", encoding="utf-8") as stream, transaction.atomic():
                if outermost and connection.vendor == "postgresql":
                    # One snapshot of every table, as pg_dump takes: an edit saved meanwhile is wholly in or
                    # out. (A transaction on SQLite reads one snapshot already.)
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                serializers.serialize(
                    "json",
                    (row for model in backed_up_models() for row in model._base_manager.order_by("pk").iterator()),
                    stream=stream,
                    indent=1,
                    use_natural_foreign_keys=True,
                    cls=ExactEncoder,
                )
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(path)
        self.stdout.write(self.style.SUCCESS(f"Backed up {connection.settings_dict['NAME']} to {path}"))
