"""Load a backup made by `manage.py backup` into an empty database: all of it or, if anything fails, nothing."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core.management.commands.backup import backed_up_models


class Command(BaseCommand):
    help = "Migrate the database, then load a backup from `manage.py backup` into it in one transaction."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", type=Path, help="The backup file, for example backups/toesite-20261123-030000.json."
        )

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"There is no backup file at {path}.")
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity)
        with transaction.atomic():
            # Loading over existing rows would mix the two (or fail on a slug both have), so refuse.
            present = [
                str(model._meta.verbose_name_plural) for model in backed_up_models() if model._base_manager.exists()
            ]
            if present:
                raise CommandError(
                    f"This database already holds {', '.join(present)}. Restore into an empty database: create a "
                    "new one, or empty this one with `manage.py flush`, then run this again."
                )
            # Absolute, so loaddata reads this file and never a fixture of the same name in an app.
            call_command("loaddata", str(path.resolve()), verbosity=verbosity)
        self.stdout.write(self.style.SUCCESS(f"Restored {path} into {connection.settings_dict['NAME']}"))
