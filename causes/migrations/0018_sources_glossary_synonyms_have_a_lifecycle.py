"""Sources, glossary terms and search synonyms get the lifecycle every reader-facing item has (issue 17).

Every one that exists was live, so it stays published, its history too (so its first revision counts
as approved); new ones start as drafts. Clinical reviewers may approve a change to a source or a
glossary term; a synonym changes only what search finds, so an editor publishes it.
"""

from django.contrib.auth.management import create_permissions

import causes.models
import django.utils.timezone
from django.db import migrations, models


LIFECYCLE_MODELS = ("Source", "GlossaryTerm", "Synonym")
APPROVALS = ("approve_source", "approve_glossaryterm")


def keep_existing_items_live(apps, schema_editor):
    for name in LIFECYCLE_MODELS:
        apps.get_model("causes", name).objects.update(status="published")
        apps.get_model("causes", f"Historical{name}").objects.update(status="published")


def let_reviewers_approve(apps, schema_editor):
    config = apps.get_app_config("causes")
    config.models_module = True  # permissions are normally made after all migrations
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    approve = apps.get_model("auth", "Permission").objects.filter(content_type__app_label="causes", codename__in=APPROVALS)
    for group in apps.get_model("auth", "Group").objects.filter(name="Clinical reviewers"):
        group.permissions.add(*approve)


def stop_reviewers_approving(apps, schema_editor):
    approve = apps.get_model("auth", "Permission").objects.filter(content_type__app_label="causes", codename__in=APPROVALS)
    for group in apps.get_model("auth", "Group").objects.filter(name="Clinical reviewers"):
        group.permissions.remove(*approve)


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('causes', '0017_scheduled_changes'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='glossaryterm',
            options={'ordering': ['term'], 'permissions': [('approve_glossaryterm', 'Can approve a change to a glossary term')], 'verbose_name': 'glossary term'},
        ),
        migrations.AlterModelOptions(
            name='source',
            options={'ordering': ['-evidence', 'publisher', 'title'], 'permissions': [('approve_source', 'Can approve a change to a source')], 'verbose_name': 'source'},
        ),
        migrations.AddField(
            model_name='glossaryterm',
            name='created',
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='glossaryterm',
            name='last_reviewed',
            field=models.DateField(blank=True, help_text='When a clinical reviewer last checked this content. Set when they approve it. Shown on the page.', null=True),
        ),
        migrations.AddField(
            model_name='glossaryterm',
            name='next_review_due',
            field=models.DateField(blank=True, help_text='When this content must be checked again. Set when a reviewer approves it. Shown on the page.', null=True),
        ),
        migrations.AddField(
            model_name='glossaryterm',
            name='publish_at',
            field=models.DateTimeField(blank=True, help_text='Optional. A published item with a time here goes live by itself then; until then only editors see it.', null=True, verbose_name='publish at'),
        ),
        migrations.AddField(
            model_name='glossaryterm',
            name='reviewed_by',
            field=models.CharField(blank=True, help_text='Set when a clinical reviewer approves: their public name and role. Shown on the page.', max_length=200, verbose_name='reviewed by'),
        ),
        migrations.AddField(
            model_name='glossaryterm',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('review', 'Ready for clinical review'), ('published', 'Published')], default='draft', help_text='Only published items appear on the site. Drafts are visible to editors only.', max_length=10),
        ),
        migrations.AddField(
            model_name='glossaryterm',
            name='updated',
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name='historicalglossaryterm',
            name='created',
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, editable=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historicalglossaryterm',
            name='last_reviewed',
            field=models.DateField(blank=True, help_text='When a clinical reviewer last checked this content. Set when they approve it. Shown on the page.', null=True),
        ),
        migrations.AddField(
            model_name='historicalglossaryterm',
            name='next_review_due',
            field=models.DateField(blank=True, help_text='When this content must be checked again. Set when a reviewer approves it. Shown on the page.', null=True),
        ),
        migrations.AddField(
            model_name='historicalglossaryterm',
            name='publish_at',
            field=models.DateTimeField(blank=True, help_text='Optional. A published item with a time here goes live by itself then; until then only editors see it.', null=True, verbose_name='publish at'),
        ),
        migrations.AddField(
            model_name='historicalglossaryterm',
            name='reviewed_by',
            field=models.CharField(blank=True, help_text='Set when a clinical reviewer approves: their public name and role. Shown on the page.', max_length=200, verbose_name='reviewed by'),
        ),
        migrations.AddField(
            model_name='historicalglossaryterm',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('review', 'Ready for clinical review'), ('published', 'Published')], default='draft', help_text='Only published items appear on the site. Drafts are visible to editors only.', max_length=10),
        ),
        migrations.AddField(
            model_name='historicalglossaryterm',
            name='updated',
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, editable=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='created',
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, editable=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='last_reviewed',
            field=models.DateField(blank=True, help_text='When a clinical reviewer last checked this content. Set when they approve it. Shown on the page.', null=True),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='next_review_due',
            field=models.DateField(blank=True, help_text='When this content must be checked again. Set when a reviewer approves it. Shown on the page.', null=True),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='publish_at',
            field=models.DateTimeField(blank=True, help_text='Optional. A published item with a time here goes live by itself then; until then only editors see it.', null=True, verbose_name='publish at'),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='reviewed_by',
            field=models.CharField(blank=True, help_text='Set when a clinical reviewer approves: their public name and role. Shown on the page.', max_length=200, verbose_name='reviewed by'),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('review', 'Ready for clinical review'), ('published', 'Published')], default='draft', help_text='Only published items appear on the site. Drafts are visible to editors only.', max_length=10),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='updated',
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, editable=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historicalsynonym',
            name='created',
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, editable=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historicalsynonym',
            name='last_reviewed',
            field=models.DateField(blank=True, help_text='When a clinical reviewer last checked this content. Set when they approve it. Shown on the page.', null=True),
        ),
        migrations.AddField(
            model_name='historicalsynonym',
            name='next_review_due',
            field=models.DateField(blank=True, help_text='When this content must be checked again. Set when a reviewer approves it. Shown on the page.', null=True),
        ),
        migrations.AddField(
            model_name='historicalsynonym',
            name='publish_at',
            field=models.DateTimeField(blank=True, help_text='Optional. A published item with a time here goes live by itself then; until then only editors see it.', null=True, verbose_name='publish at'),
        ),
        migrations.AddField(
            model_name='historicalsynonym',
            name='reviewed_by',
            field=models.CharField(blank=True, help_text='Set when a clinical reviewer approves: their public name and role. Shown on the page.', max_length=200, verbose_name='reviewed by'),
        ),
        migrations.AddField(
            model_name='historicalsynonym',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('review', 'Ready for clinical review'), ('published', 'Published')], default='draft', help_text='Only published items appear on the site. Drafts are visible to editors only.', max_length=10),
        ),
        migrations.AddField(
            model_name='historicalsynonym',
            name='updated',
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, editable=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='source',
            name='created',
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='source',
            name='last_reviewed',
            field=models.DateField(blank=True, help_text='When a clinical reviewer last checked this content. Set when they approve it. Shown on the page.', null=True),
        ),
        migrations.AddField(
            model_name='source',
            name='next_review_due',
            field=models.DateField(blank=True, help_text='When this content must be checked again. Set when a reviewer approves it. Shown on the page.', null=True),
        ),
        migrations.AddField(
            model_name='source',
            name='publish_at',
            field=models.DateTimeField(blank=True, help_text='Optional. A published item with a time here goes live by itself then; until then only editors see it.', null=True, verbose_name='publish at'),
        ),
        migrations.AddField(
            model_name='source',
            name='reviewed_by',
            field=models.CharField(blank=True, help_text='Set when a clinical reviewer approves: their public name and role. Shown on the page.', max_length=200, verbose_name='reviewed by'),
        ),
        migrations.AddField(
            model_name='source',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('review', 'Ready for clinical review'), ('published', 'Published')], default='draft', help_text='Only published items appear on the site. Drafts are visible to editors only.', max_length=10),
        ),
        migrations.AddField(
            model_name='source',
            name='updated',
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name='synonym',
            name='created',
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='synonym',
            name='last_reviewed',
            field=models.DateField(blank=True, help_text='When a clinical reviewer last checked this content. Set when they approve it. Shown on the page.', null=True),
        ),
        migrations.AddField(
            model_name='synonym',
            name='next_review_due',
            field=models.DateField(blank=True, help_text='When this content must be checked again. Set when a reviewer approves it. Shown on the page.', null=True),
        ),
        migrations.AddField(
            model_name='synonym',
            name='publish_at',
            field=models.DateTimeField(blank=True, help_text='Optional. A published item with a time here goes live by itself then; until then only editors see it.', null=True, verbose_name='publish at'),
        ),
        migrations.AddField(
            model_name='synonym',
            name='reviewed_by',
            field=models.CharField(blank=True, help_text='Set when a clinical reviewer approves: their public name and role. Shown on the page.', max_length=200, verbose_name='reviewed by'),
        ),
        migrations.AddField(
            model_name='synonym',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('review', 'Ready for clinical review'), ('published', 'Published')], default='draft', help_text='Only published items appear on the site. Drafts are visible to editors only.', max_length=10),
        ),
        migrations.AddField(
            model_name='synonym',
            name='updated',
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddConstraint(
            model_name='glossaryterm',
            constraint=models.CheckConstraint(condition=models.Q(('last_reviewed__isnull', True), ('next_review_due__isnull', True), ('next_review_due__gte', models.F('last_reviewed')), _connector='OR'), name='causes_glossaryterm_review_after_last_review', violation_error_message='The next review must be on or after the last review.'),
        ),
        migrations.AddConstraint(
            model_name='source',
            constraint=models.CheckConstraint(condition=models.Q(('last_reviewed__isnull', True), ('next_review_due__isnull', True), ('next_review_due__gte', models.F('last_reviewed')), _connector='OR'), name='causes_source_review_after_last_review', violation_error_message='The next review must be on or after the last review.'),
        ),
        migrations.AddConstraint(
            model_name='synonym',
            constraint=models.CheckConstraint(condition=models.Q(('last_reviewed__isnull', True), ('next_review_due__isnull', True), ('next_review_due__gte', models.F('last_reviewed')), _connector='OR'), name='causes_synonym_review_after_last_review', violation_error_message='The next review must be on or after the last review.'),
        ),
        migrations.RunPython(keep_existing_items_live, migrations.RunPython.noop),
        migrations.RunPython(let_reviewers_approve, stop_reviewers_approving),
    ]
