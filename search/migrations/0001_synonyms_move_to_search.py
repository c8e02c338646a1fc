"""Search synonyms, moved here from causes (issue 26): the model takes over the tables causes made.

State only: the tables, their rows and their constraint keep their names. The content types move
too, so every permission (and each role's grant of it) and every admin log entry follows the model.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = ["synonym", "historicalsynonym"]


def _move(apps, old: str, new: str) -> None:
    content_types = apps.get_model("contenttypes", "ContentType").objects
    for model in MODELS:
        if not content_types.filter(app_label=new, model=model).exists():
            content_types.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _move(apps, "causes", "search")


def move_content_types_back(apps, schema_editor):
    _move(apps, "search", "causes")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("causes", "0021_synonyms_pass_sign_off"),
    ]

    operations = [
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalSynonym',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('review', models.CharField(blank=True, choices=[('', 'Saved'), ('waiting', 'Waiting for review'), ('scheduled', 'Approved, scheduled'), ('approved', 'Approved'), ('discarded', 'Discarded')], default='', max_length=10)),
                        ('approval', models.BooleanField(default=False, help_text="A clinical reviewer's approval: the medical text as saved here counts as reviewed.")),
                        ('goes_live_at', models.DateTimeField(blank=True, help_text="For an approved change that is scheduled: when it takes the live version's place.", null=True, verbose_name='goes live at')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('review', 'Ready for clinical review'), ('published', 'Published')], default='draft', help_text='Only published items appear on the site. Drafts are visible to editors only.', max_length=10)),
                        ('publish_at', models.DateTimeField(blank=True, help_text='Optional. A published item with a time here goes live by itself then; until then only editors see it.', null=True, verbose_name='publish at')),
                        ('last_reviewed', models.DateField(blank=True, help_text='When a clinical reviewer last checked this content. Set when they approve it. Shown on the page.', null=True)),
                        ('next_review_due', models.DateField(blank=True, help_text='When this content must be checked again. Set when a reviewer approves it. Shown on the page.', null=True)),
                        ('reviewed_by', models.CharField(blank=True, help_text='Set when a clinical reviewer approves: their public name and role. Shown on the page.', max_length=200, verbose_name='reviewed by')),
                        ('created', models.DateTimeField(blank=True, editable=False)),
                        ('updated', models.DateTimeField(blank=True, editable=False)),
                        ('phrase', models.CharField(db_index=True, help_text="What a reader might type, in lower case: 'pins and needles'.", max_length=100)),
                        ('means', models.CharField(help_text="The word the site uses for it: 'tingling'.", max_length=100)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('scheduled_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical search synonym',
                        'verbose_name_plural': 'historical search synonyms',
                        'db_table': 'causes_historicalsynonym',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Synonym',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('review', 'Ready for clinical review'), ('published', 'Published')], default='draft', help_text='Only published items appear on the site. Drafts are visible to editors only.', max_length=10)),
                        ('publish_at', models.DateTimeField(blank=True, help_text='Optional. A published item with a time here goes live by itself then; until then only editors see it.', null=True, verbose_name='publish at')),
                        ('last_reviewed', models.DateField(blank=True, help_text='When a clinical reviewer last checked this content. Set when they approve it. Shown on the page.', null=True)),
                        ('next_review_due', models.DateField(blank=True, help_text='When this content must be checked again. Set when a reviewer approves it. Shown on the page.', null=True)),
                        ('reviewed_by', models.CharField(blank=True, help_text='Set when a clinical reviewer approves: their public name and role. Shown on the page.', max_length=200, verbose_name='reviewed by')),
                        ('created', models.DateTimeField(auto_now_add=True)),
                        ('updated', models.DateTimeField(auto_now=True)),
                        ('phrase', models.CharField(help_text="What a reader might type, in lower case: 'pins and needles'.", max_length=100, unique=True)),
                        ('means', models.CharField(help_text="The word the site uses for it: 'tingling'.", max_length=100)),
                    ],
                    options={
                        'verbose_name': 'search synonym',
                        'permissions': [('approve_synonym', 'Can approve a change to a search synonym')],
                        'db_table': 'causes_synonym',
                        'ordering': ['phrase'],
                        'abstract': False,
                        'constraints': [models.CheckConstraint(condition=models.Q(('last_reviewed__isnull', True), ('next_review_due__isnull', True), ('next_review_due__gte', models.F('last_reviewed')), _connector='OR'), name='causes_synonym_review_after_last_review', violation_error_message='The next review must be on or after the last review.')],
                    },
                ),
            ],
        ),
    ]
