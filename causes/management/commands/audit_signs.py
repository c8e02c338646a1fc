"""Check the warning-sign register in the database against its audit record, page by page."""

from django.core.management.base import BaseCommand, CommandError

from causes.selectors import sign_audit_problems


class Command(BaseCommand):
    help = "Say where the warning-sign register and its audit record (causes/seed/sign_audit.toml) disagree."

    def handle(self, *args, **options):
        found = sign_audit_problems()
        if found:
            raise CommandError("The register does not match its audit record:\n- " + "\n- ".join(found))
        self.stdout.write(self.style.SUCCESS("The register matches its audit record."))
