"""Take over the questionnaire's models from the causes app, keeping their tables and rows.

State only: the tables causes_question, causes_option and causes_optionweight already exist
(causes 0002). The next migration gives them this app's names.
"""

import django.db.models.deletion
from django.db import migrations, models

import causes.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("causes", "0002_questionnaire"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Question",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("draft", "Draft"), ("published", "Published")],
                                default="draft",
                                help_text="Only published items appear on the site. Drafts are visible to editors only.",
                                max_length=10,
                            ),
                        ),
                        (
                            "last_reviewed",
                            models.DateField(
                                default=causes.models._today,
                                help_text="When a person last checked this content. Shown on the page.",
                            ),
                        ),
                        (
                            "next_review_due",
                            models.DateField(
                                default=causes.models._a_year_from_today,
                                help_text="When this content must be checked again. Shown on the page.",
                            ),
                        ),
                        ("created", models.DateTimeField(auto_now_add=True)),
                        ("updated", models.DateTimeField(auto_now=True)),
                        (
                            "key",
                            models.SlugField(
                                help_text="A short fixed name for this question. Do not change it once published.",
                                max_length=60,
                                unique=True,
                            ),
                        ),
                        ("text", models.CharField(help_text="The question, as the reader sees it.", max_length=200)),
                        (
                            "help_text",
                            models.CharField(
                                blank=True, help_text="Why we ask. Shown under the question.", max_length=300
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("single", "One answer (radio buttons)"),
                                    ("multiple", "Any that apply (tick boxes)"),
                                ],
                                default="multiple",
                                max_length=10,
                            ),
                        ),
                        (
                            "red_flag",
                            models.BooleanField(
                                default=False,
                                help_text="Red-flag questions come first and must be answered. Their options should carry an urgency.",
                                verbose_name="red-flag screen",
                            ),
                        ),
                        (
                            "order",
                            models.PositiveSmallIntegerField(
                                default=0, help_text="Lower numbers come first. Red flags always lead."
                            ),
                        ),
                    ],
                    options={
                        "db_table": "causes_question",
                        "verbose_name": "question",
                        "ordering": ["-red_flag", "order", "id"],
                        "abstract": False,
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("next_review_due__gte", models.F("last_reviewed"))),
                                name="causes_question_review_after_last_review",
                                violation_error_message="The next review must be on or after the last review.",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Option",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("label", models.CharField(help_text="The answer, as the reader sees it.", max_length=200)),
                        ("order", models.PositiveSmallIntegerField(default=0)),
                        (
                            "urgency",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("self_care", "Self-care"),
                                    ("see_doctor", "See a doctor"),
                                    ("urgent", "Urgent"),
                                    ("emergency", "Emergency"),
                                ],
                                help_text="Leave empty unless this answer alone means the reader should get help.",
                                max_length=12,
                            ),
                        ),
                        (
                            "advice",
                            models.TextField(
                                blank=True,
                                help_text="What to do, shown first on the results when this answer is chosen. Needed with an urgency.",
                            ),
                        ),
                        (
                            "question",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="options",
                                to="questionnaire.question",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "causes_option",
                        "verbose_name": "answer option",
                        "ordering": ["question", "order", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="OptionWeight",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "weight",
                            models.SmallIntegerField(
                                help_text="From -3 to 3. 3 = a strong pointer, 1 = a weak one; negative makes the cause less likely."
                            ),
                        ),
                        (
                            "cause",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="option_weights",
                                to="causes.cause",
                            ),
                        ),
                        (
                            "option",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="weights",
                                to="questionnaire.option",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "causes_optionweight",
                        "verbose_name": "cause weight",
                        "ordering": ["option", "-weight"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("option", "cause"),
                                name="causes_optionweight_one_weight_per_cause",
                                violation_error_message="This answer already has a weight for that cause.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("weight__gte", -3), ("weight__lte", 3), models.Q(("weight", 0), _negated=True)
                                ),
                                name="causes_optionweight_weight_in_range",
                                violation_error_message="The weight must be from -3 to 3, and not 0.",
                            ),
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="option",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("urgency", ""), models.Q(("advice", ""), _negated=True), _connector="OR"),
                        name="causes_option_urgency_needs_advice",
                        violation_error_message="An answer with an urgency needs advice saying what to do.",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
