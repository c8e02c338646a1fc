"""Create a local editor account for `make run`, only with DEBUG on."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "For local development only: create an editor account with a random password if none exists."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/", help="Where the admin will be served.")

    def handle(self, *args, url, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create an editor account without DJANGO_DEBUG=1 (local development only).")
        user_model = get_user_model()
        if user_model.objects.filter(is_staff=True, is_active=True).exists():
            self.stdout.write(f"Editors log in at {url} with their existing account.")
            return
        password = secrets.token_urlsafe(18)
        user_model.objects.create_superuser(username="editor", email="", password=password)
        self.stdout.write(self.style.WARNING(f"Created a local editor account. Log in at {url}"))
        self.stdout.write(f"  username: editor\n  password: {password}")
        self.stdout.write("Change it in the admin, or run `manage.py changepassword editor`.")
