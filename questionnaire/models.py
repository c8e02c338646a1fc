from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from causes.models import Cause, Urgency, WarningSign
from editorial import lifecycle
from editorial.models import Publishable, history


class Question(Publishable):
    class Kind(models.TextChoices):
        SINGLE = "single", "One answer (radio buttons)"
        MULTIPLE = "multiple", "Any that apply (tick boxes)"

    key = models.SlugField(
        max_length=60, unique=True, help_text="A short fixed name for this question. Do not change it once published."
    )
    text = models.CharField(max_length=200, help_text="The question, as the reader sees it.")
    help_text = models.CharField(max_length=300, blank=True, help_text="Why we ask. Shown under the question.")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.MULTIPLE)
    red_flag = models.BooleanField(
        "red-flag screen",
        default=False,
        help_text=(
            "Red-flag questions come first and must be answered. Their options should carry an urgency. "
            "Their emergency and urgent options are also listed as warning signs on the site's pages."
        ),
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first. Red flags always lead.")
    asked_if = models.ForeignKey(
        "Option",
        on_delete=models.PROTECT,  # an answer that opens a follow-up cannot be deleted from under it
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name="ask only if the reader chose",
        help_text=(
            "Leave empty to ask everyone. Choose an answer to an earlier question to ask this one only "
            "when the reader chose that answer, for example 'You are pregnant or just had a baby'."
        ),
    )

    history = history()

    REQUIRED_TO_PUBLISH = ("text",)
    NEEDS_A_SOURCE = False  # its answers point at warning signs, which carry the sources

    class Meta(Publishable.Meta):
        ordering = ["-red_flag", "order", "id"]
        verbose_name = "question"
        permissions = [("approve_questionnaire", "Can approve changes to the questionnaire")]

    def __str__(self) -> str:
        return self.text

    @property
    def position(self) -> tuple[bool, int, int]:
        """Where the question comes, as `Meta.ordering` sorts it (a new question last among its order)."""
        return (not self.red_flag, self.order, self.pk or 1 << 62)

    def save(self, *args, **kwargs) -> None:
        self.check_fixed_key()  # on every save, not only a form's: the shell, the loader, a revert too
        self.check_follow_ups()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.check_fixed_key()
        self.check_follow_ups()

    def check_fixed_key(self) -> None:
        """A question that has been published keeps its key.

        Releases, the safety cases and the seed loader find a question by its key: a new one would
        make a safety case check nothing and the loader add the question again.
        """
        if self.pk is None:
            return
        before = Question.objects.filter(pk=self.pk).values_list("key", flat=True).first()
        if before is None or before == self.key:
            return
        if Question.history.filter(id=self.pk, status=lifecycle.LIVE_STATUS).exists():
            message = f"This question has been published with the key “{before}”. Keep that key."
            raise ValidationError({"key": ValidationError(message, code="fixed_key")})

    def check_follow_ups(self) -> None:
        """A follow-up comes after the question that opens it, and the red-flag screen is never one.

        Checked from both ends: the follow-up's `asked_if`, and the opening question's place (moving
        it after a question its answers open would leave that question unreachable in the steps).
        """
        trigger = self.asked_if
        if trigger is not None:
            if self.red_flag:
                message = "The red-flag screen is asked of everyone. It cannot be a follow-up question."
                raise ValidationError({"asked_if": ValidationError(message, code="red_flag_follow_up")})
            earlier = trigger.question
            if earlier.pk == self.pk or earlier.position >= self.position:
                message = (
                    f"A follow-up must come after the question that opens it (“{earlier.text}”). "
                    "Give this question a higher order number."
                )
                raise ValidationError({"asked_if": ValidationError(message, code="trigger_not_earlier")})
        if self.pk is None:
            return
        for follow_up in Question.objects.filter(asked_if__question=self).exclude(pk=self.pk):
            if self.position >= follow_up.position:
                message = (
                    f"An answer to this question opens “{follow_up.text}”, so this question must come first. "
                    "Give it a lower order number."
                )
                raise ValidationError({"order": ValidationError(message, code="follow_up_not_later")})


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=200, help_text="The answer, as the reader sees it.")
    order = models.PositiveSmallIntegerField(default=0)
    urgency = models.CharField(
        max_length=12,
        choices=Urgency,
        blank=True,
        help_text="Leave empty unless this answer alone means the reader should get help.",
    )
    advice = models.TextField(
        blank=True,
        help_text="What to do, shown first on the results when this answer is chosen. Needed with an urgency.",
    )
    group = models.CharField(
        max_length=80,
        blank=True,
        help_text="A short heading that groups this answer with its neighbours, for example 'Your foot or leg'.",
    )
    sign = models.ForeignKey(
        WarningSign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="options",
        help_text="The warning sign this answer stands for. The answer must carry the sign's level.",
    )

    history = history()

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = "answer option"
        constraints = [
            models.CheckConstraint(
                condition=Q(urgency="") | ~Q(advice=""),
                name="questionnaire_option_urgency_needs_advice",
                violation_error_message="An answer with an urgency needs advice saying what to do.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.key}: {self.label}"

    def save(self, *args, **kwargs) -> None:
        self.check_sign_level()  # on every save, not only a form's: the shell and the loader too
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.check_sign_level()

    def check_sign_level(self) -> None:
        """An answer that stands for a warning sign carries its level, so the questionnaire and the pages agree."""
        if self.sign is not None and self.urgency != self.sign.level:
            message = (
                f"This answer stands for a warning sign at the level “{self.sign.get_level_display()}”. "
                "Give it the same urgency, so the questionnaire and the pages agree."
            )
            raise ValidationError({"urgency": ValidationError(message, code="sign_level")})


class OptionWeight(models.Model):
    """How one answer changes how likely one cause is."""

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="weights")
    # A cause the questionnaire still points to cannot be deleted: the admin names the answers instead.
    cause = models.ForeignKey(Cause, on_delete=models.PROTECT, related_name="option_weights")
    weight = models.SmallIntegerField(
        help_text="From -3 to 3. 3 = a strong pointer, 1 = a weak one; negative makes the cause less likely."
    )

    history = history()

    class Meta:
        ordering = ["option", "-weight"]
        verbose_name = "cause weight"
        constraints = [
            models.UniqueConstraint(
                fields=["option", "cause"],
                name="questionnaire_optionweight_one_weight_per_cause",
                violation_error_message="This answer already has a weight for that cause.",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=-3, weight__lte=3) & ~Q(weight=0),
                name="questionnaire_optionweight_weight_in_range",
                violation_error_message="The weight must be from -3 to 3, and not 0.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.option.label} → {self.cause.title}: {self.weight:+d}"


class Release(models.Model):
    """An approved state of the whole questionnaire: questions, answers, urgency, advice and weights.

    Readers get the questionnaire as the latest release approved it: kept whole in `snapshot`, made
    once at approval. Editors' changes since then (listed from the rows' revision history) wait,
    together, for a clinical reviewer who made none of them. Until a site has its first release,
    readers get the questionnaire as saved.
    """

    approved_at = models.DateTimeField(default=timezone.now, db_index=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    reviewed_by = models.CharField(max_length=200, blank=True, help_text="The approver's public name and role.")
    note = models.CharField(max_length=300, blank=True)
    snapshot = models.JSONField(
        default=dict, help_text="The published questions, answers and weights as approved (selectors.snapshot)."
    )

    class Meta:
        ordering = ["-approved_at", "-id"]
        get_latest_by = "approved_at"
        verbose_name = "questionnaire release"

    def __str__(self) -> str:
        return f"Released {timezone.localtime(self.approved_at):%d %B %Y, %H:%M}"
