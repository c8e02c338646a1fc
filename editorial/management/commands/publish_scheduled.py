"""Put approved changes whose scheduled time has come live: for cron where there is no shared cache."""

from django.core.management.base import BaseCommand

from editorial.scheduling import publish_due


class Command(BaseCommand):
    help = (
        "Make live every approved change whose scheduled time has come. With Redis the site does this on the "
        "first request after the time; run this every minute from cron when there is no shared cache."
    )

    def handle(self, *args, **options):
        done = publish_due()
        for what in done:
            self.stdout.write(f"Now live: the scheduled change to {what}.")
        self.stdout.write(self.style.SUCCESS(f"{len(done)} scheduled change(s) made live."))
