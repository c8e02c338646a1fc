from django.db import models

COMMENT_LIMIT = 500  # characters in a reader's comment: the model, the form and the text box all read this


class Feedback(models.Model):
    """One reader's answer to "Was this page helpful?". Nothing that identifies the reader is kept.

    Not watched content (core/cache.py): storing feedback never moves the page cache on.
    """

    page = models.CharField(max_length=200, help_text="The address of the page the reader was on.")
    helpful = models.BooleanField(help_text="Whether the reader said the page was helpful.")
    comment = models.TextField(
        "what was missing", max_length=COMMENT_LIMIT, blank=True, help_text="The reader's own words, if they wrote any."
    )
    created = models.DateTimeField("sent", auto_now_add=True)
    handled = models.BooleanField(default=False, help_text="Tick when an editor has dealt with this comment.")

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "reader feedback"
        verbose_name_plural = "reader feedback"

    def __str__(self) -> str:
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.page}"


class PostCount(models.Model):
    """How many posts one address has sent this hour, shared by every app server and worker.

    Kept under a keyed hash of the address and the hour, never the address; the hour's rows are
    removed once it has passed (feedback/services.py).
    """

    sender = models.CharField(max_length=64, help_text="A keyed hash of the sender's address and the hour.")
    hour = models.DateTimeField(db_index=True, help_text="The start of the hour counted.")
    posts = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["hour", "sender"]
        verbose_name = "feedback count for one address and hour"
        verbose_name_plural = "feedback counts per address and hour"
        constraints = [models.UniqueConstraint(fields=["sender"], name="feedback_postcount_one_row_per_sender")]

    def __str__(self) -> str:
        return f"{self.posts} posts in the hour from {self.hour:%Y-%m-%d %H:00}"
