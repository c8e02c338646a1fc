"""Create the local accounts for `make run`, only with DEBUG on: one editor and one clinical reviewer.

Neither is a superuser, so a newcomer sees the two-person rule at work: the editor's change to a
live page waits, and the reviewer approves it. In debug the admin asks for a password alone
(toesite/urls.py), so no authenticator app is needed locally.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

# username, first name, last name, role (a group the migrations make)
LOCAL_ACCOUNTS = (
    ("editor", "Eddie", "Editor", "Editors"),
    ("reviewer", "Rita", "Reviewer", "Clinical reviewers"),
)


class Command(BaseCommand):
    help = (
        "For local development only: create an editor and a clinical reviewer (not superusers), "
        "each with a random password shown once, if they do not exist."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/", help="Where the admin will be served.")

    def handle(self, *args, url, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create local accounts without DJANGO_DEBUG=1 (local development only).")
        user_model = get_user_model()
        created = []
        for username, first_name, last_name, role in LOCAL_ACCOUNTS:
            if user_model.objects.filter(username=username).exists():
                continue
            password = secrets.token_urlsafe(18)
            user = user_model.objects.create_user(
                username=username,
                email=f"{username}@localhost",
                password=password,
                first_name=first_name,
                last_name=last_name,
                is_staff=True,
            )
            user.groups.add(Group.objects.get(name=role))
            created.append((username, role, password))
        if not created:
            self.stdout.write(f"Editors log in at {url} with their existing accounts.")
            return
        self.stdout.write(self.style.WARNING(f"Created local accounts. Log in at {url}"))
        for username, role, password in created:
            self.stdout.write(f"  {role}: username {username}  password: {password}")
        self.stdout.write(
            "The editor writes; the reviewer approves what the editor sends for clinical review. "
            "Change a password with `manage.py changepassword <username>`."
        )
