"""Give every row that existed before revision history began a first revision.

Without it, the first change to an older item would have nothing to compare with. A site that
already had a questionnaire has no release yet: readers get it as saved until a clinical reviewer
approves the first release ("Changes waiting for review" on the questions list).
"""

from django.db import migrations
from django.utils import timezone

MODELS = {
    "causes": ["Cause", "Remedy", "Faq", "Source", "WarningSign"],
    "questionnaire": ["Question", "Option", "OptionWeight"],
}


def record_existing_rows(apps, schema_editor):
    now = timezone.now()
    for app_label, names in MODELS.items():
        for name in names:
            model = apps.get_model(app_label, name)
            history = apps.get_model(app_label, f"Historical{name}")
            recorded = set(history.objects.values_list("id", flat=True))
            kept = {field.attname for field in history._meta.fields}
            history.objects.bulk_create(
                history(
                    **{field.attname: getattr(row, field.attname) for field in model._meta.concrete_fields if field.attname in kept},
                    history_date=now,
                    history_type="+",
                    history_change_reason="Recorded when revision history began.",
                )
                for row in model.objects.exclude(pk__in=recorded)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("questionnaire", "0006_revisions_and_releases"),
        ("causes", "0007_editor_and_reviewer_roles"),
    ]

    operations = [migrations.RunPython(record_existing_rows, migrations.RunPython.noop)]
