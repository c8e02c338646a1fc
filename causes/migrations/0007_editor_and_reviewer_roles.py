"""The two roles, with exactly the permissions each needs. A superuser manages accounts and groups.

Editors write and change content and send it for review; they cannot delete it, approve it, or
open users and groups. Clinical reviewers can do all that editors do, approve a change made by
someone else, and delete content.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = {
    "causes": ["cause", "remedy", "faq", "source", "warningsign"],
    "questionnaire": ["question", "option", "optionweight"],
}
EDITORS = [
    *(
        f"{app}.{action}_{model}"
        for app, models in CONTENT.items()
        for model in models
        for action in ("add", "change", "view")
    ),
    "causes.view_movedpage",
    "feedback.view_feedback",
    "feedback.change_feedback",  # mark a comment handled
]
REVIEWERS = [
    *EDITORS,
    "causes.approve_cause",
    "causes.approve_remedy",
    "causes.approve_faq",
    "questionnaire.approve_questionnaire",
    *(f"{app}.delete_{model}" for app, models in CONTENT.items() for model in models),
    "causes.change_movedpage",
    "causes.delete_movedpage",
]
ROLES = {"Editors": EDITORS, "Clinical reviewers": REVIEWERS}


def make_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; these need them now.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    set_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def set_roles(Group, Permission) -> None:  # noqa: N803 - model classes
    """Make each role with exactly its permissions (also used by the tests, after a flush removed them)."""
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [
            Permission.objects.get(content_type__app_label=code.split(".")[0], codename=code.split(".")[1])
            for code in codes
        ]
        group.permissions.set(wanted)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("causes", "0006_revisions_and_sign_off"),
        ("questionnaire", "0006_revisions_and_releases"),
        ("feedback", "0001_reader_feedback"),
    ]

    operations = [migrations.RunPython(make_roles, remove_roles)]
