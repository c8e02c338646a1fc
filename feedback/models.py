from django.db import models


class Feedback(models.Model):
    """One reader's answer to "Was this page helpful?". Nothing that identifies the reader is kept.

    Not watched content (causes/cache.py): storing feedback never moves the page cache on.
    """

    page = models.CharField(max_length=200, help_text="The address of the page the reader was on.")
    helpful = models.BooleanField(help_text="Whether the reader said the page was helpful.")
    comment = models.TextField(
        "what was missing", max_length=500, blank=True, help_text="The reader's own words, if they wrote any."
    )
    created = models.DateTimeField("sent", auto_now_add=True)
    handled = models.BooleanField(default=False, help_text="Tick when an editor has dealt with this comment.")

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "reader feedback"
        verbose_name_plural = "reader feedback"

    def __str__(self) -> str:
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.page}"
