"""Set up an editor's second factor: an authenticator app (TOTP) for signing in to the admin."""

import io

import qrcode
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Give an editor an authenticator app for the second sign-in step. Shows a QR code and a link to "
        "scan or type into the app (once: it is the secret). Replaces the editor's old app with --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--replace", action="store_true", help="Remove the editor's existing apps first.")

    def handle(self, *args, username: str, replace: bool, **options):
        user = get_user_model().objects.filter(username=username, is_staff=True).first()
        if user is None:
            raise CommandError(f"No staff account is called {username!r}.")
        devices = TOTPDevice.objects.filter(user=user)
        if devices.exists() and not replace:
            raise CommandError(f"{username} already has an authenticator app. Use --replace to set up a new one.")
        devices.delete()
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        code = qrcode.QRCode(border=1)
        code.add_data(device.config_url)
        picture = io.StringIO()
        code.print_ascii(out=picture, invert=True)
        self.stdout.write(picture.getvalue())
        self.stdout.write(f"Or type this into the app: {device.config_url}")
        self.stdout.write(self.style.SUCCESS(f"{username} now signs in with a password and a code from that app."))
