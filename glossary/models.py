from django.db import models

from editorial.models import Publishable, history, review_dates_in_order


class GlossaryTerm(Publishable):
    """A medical word the site uses, explained in plain English on the glossary page.

    The first time a page uses the word, it links to its entry. Only live terms are shown or linked;
    an explanation is medical text, so a change to a live one waits for a clinical reviewer.
    """

    term = models.CharField(max_length=80, unique=True, help_text="The word as pages use it: 'neuropathy'.")
    slug = models.SlugField(max_length=80, unique=True, help_text="Its anchor on the glossary page.")
    also = models.CharField(
        "other forms",
        max_length=200,
        blank=True,
        help_text="Other forms that link here too, separated by commas: 'neuropathies, neuropathic'.",
    )
    meaning = models.TextField(help_text="One or two short, plain sentences. Markdown.")

    history = history(table_name="causes_historicalglossaryterm")  # its tables kept their names when it moved

    REQUIRED_TO_PUBLISH = ("meaning",)
    NEEDS_A_SOURCE = False
    REVIEWED_FIELDS = ("term", "also", "meaning")

    class Meta(Publishable.Meta):
        db_table = "causes_glossaryterm"
        constraints = [
            review_dates_in_order("causes_glossaryterm_review_after_last_review")
        ]  # its name before the move
        ordering = ["term"]
        verbose_name = "glossary term"
        permissions = [("approve_glossaryterm", "Can approve a change to a glossary term")]

    def __str__(self) -> str:
        return self.term
