"""Give the moved tables and constraints this app's names, and move their content types.

Moving the content types keeps the admin history and the editors' permissions of questions,
options and weights attached to them.
"""

from django.db import migrations, models

MODELS = ["question", "option", "optionweight"]


def move_content_types(apps, schema_editor, old="causes", new="questionnaire"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if ContentType.objects.filter(app_label=old, model=model).exists():
            # An empty type may have been made for the new label; the old one carries the history.
            ContentType.objects.filter(app_label=new, model=model).delete()
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="questionnaire", new="causes")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("questionnaire", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="question", table=None),
        migrations.AlterModelTable(name="option", table=None),
        migrations.AlterModelTable(name="optionweight", table=None),
        migrations.RemoveConstraint(model_name="question", name="causes_question_review_after_last_review"),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.CheckConstraint(
                condition=models.Q(("next_review_due__gte", models.F("last_reviewed"))),
                name="questionnaire_question_review_after_last_review",
                violation_error_message="The next review must be on or after the last review.",
            ),
        ),
        migrations.RemoveConstraint(model_name="option", name="causes_option_urgency_needs_advice"),
        migrations.AddConstraint(
            model_name="option",
            constraint=models.CheckConstraint(
                condition=models.Q(("urgency", ""), models.Q(("advice", ""), _negated=True), _connector="OR"),
                name="questionnaire_option_urgency_needs_advice",
                violation_error_message="An answer with an urgency needs advice saying what to do.",
            ),
        ),
        migrations.RemoveConstraint(model_name="optionweight", name="causes_optionweight_one_weight_per_cause"),
        migrations.AddConstraint(
            model_name="optionweight",
            constraint=models.UniqueConstraint(
                fields=("option", "cause"),
                name="questionnaire_optionweight_one_weight_per_cause",
                violation_error_message="This answer already has a weight for that cause.",
            ),
        ),
        migrations.RemoveConstraint(model_name="optionweight", name="causes_optionweight_weight_in_range"),
        migrations.AddConstraint(
            model_name="optionweight",
            constraint=models.CheckConstraint(
                condition=models.Q(("weight__gte", -3), ("weight__lte", 3), models.Q(("weight", 0), _negated=True)),
                name="questionnaire_optionweight_weight_in_range",
                violation_error_message="The weight must be from -3 to 3, and not 0.",
            ),
        ),
        migrations.AlterField(
            model_name="question",
            name="red_flag",
            field=models.BooleanField(
                default=False,
                help_text="Red-flag questions come first and must be answered. Their options should carry an urgency. Their emergency and urgent options are also listed as warning signs on the site's pages.",
                verbose_name="red-flag screen",
            ),
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
