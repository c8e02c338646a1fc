"""Search synonyms: readers' own words for what the site calls something else."""

from django.db import models

from editorial.models import Publishable, history, review_dates_in_order


class Synonym(Publishable):
    """Readers' own words for what the site calls something else: "pins and needles" means "tingling".

    Search looks for both; the A to Z lists each phrase as a "see" entry ("chest pain: see cramp"),
    so readers see them: they pass clinical sign-off like any other text readers see.
    Only live ones count.
    """

    phrase = models.CharField(
        max_length=100, unique=True, help_text="What a reader might type, in lower case: 'pins and needles'."
    )
    means = models.CharField(max_length=100, help_text="The word the site uses for it: 'tingling'.")

    history = history(table_name="causes_historicalsynonym")  # its tables kept their names when it moved

    NEEDS_A_SOURCE = False
    REVIEWED_FIELDS = ("phrase", "means")

    class Meta(Publishable.Meta):
        db_table = "causes_synonym"
        constraints = [review_dates_in_order("causes_synonym_review_after_last_review")]  # its name before the move
        ordering = ["phrase"]
        verbose_name = "search synonym"
        permissions = [("approve_synonym", "Can approve a change to a search synonym")]

    def __str__(self) -> str:
        return f"{self.phrase} → {self.means}"
