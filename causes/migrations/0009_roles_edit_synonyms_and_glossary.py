"""Editors and clinical reviewers edit the search synonyms and the glossary, as they edit other content."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["synonym", "glossaryterm"]
ROLES = {
    "Editors": [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")],
    "Clinical reviewers": [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view", "delete")],
}


def add_permissions(apps, schema_editor):
    config = apps.get_app_config("causes")
    config.models_module = True  # permissions are normally made after all migrations
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(*Permission.objects.filter(content_type__app_label="causes", codename__in=ROLES[group.name]))


def remove_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="causes", codename__in=ROLES[group.name]))


class Migration(migrations.Migration):
    dependencies = [("causes", "0008_synonyms_glossary_related_causes")]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
