"""What each staff member chooses for themself: for now, whether the site e-mails them."""

from django.conf import settings
from django.db import models


class EmailChoice(models.Model):
    """A staff member's choice about e-mail from the site (editorial/notifications.py). No row: e-mails on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="email_choice"
    )
    send_emails = models.BooleanField(
        "e-mail me",
        default=True,
        help_text="E-mail me when something waits for my review, and when my change is approved, "
        "scheduled, published or sent back.",
    )

    class Meta:
        ordering = ["user"]
        verbose_name = "my e-mail setting"
        verbose_name_plural = "my e-mail settings"

    def __str__(self) -> str:
        return "E-mail: on" if self.send_emails else "E-mail: off"
