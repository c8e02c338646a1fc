"""A source no copy of which could be read carries no "read on" date (issue 29): `accessed` may be empty."""

from django.db import migrations, models

import causes.models

HELP = "When we last read this source. Leave empty if no copy of it could be read: readers see no date then."


def date_the_undated(apps, schema_editor):
    """Going back: the old field needs a date, so an undated source takes the day it was added."""
    for name in ("Source", "HistoricalSource"):
        model = apps.get_model("causes", name)
        for row in model.objects.filter(accessed__isnull=True).only("pk", "created"):
            model.objects.filter(pk=row.pk).update(accessed=row.created.date())


class Migration(migrations.Migration):
    dependencies = [
        ("causes", "0022_synonyms_move_to_search"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalsource",
            name="accessed",
            field=models.DateField(blank=True, default=causes.models._today, help_text=HELP, null=True),
        ),
        migrations.AlterField(
            model_name="source",
            name="accessed",
            field=models.DateField(blank=True, default=causes.models._today, help_text=HELP, null=True),
        ),
        # Last, so that going back it runs first, before the fields need a date again.
        migrations.RunPython(migrations.RunPython.noop, date_the_undated),
    ]
