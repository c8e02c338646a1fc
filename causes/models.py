import datetime

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone


def _today() -> datetime.date:
    return timezone.localdate()


def _a_year_from_today() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=365)


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Urgency(models.TextChoices):
    """How soon to get help, from least to most urgent (see RANK)."""

    SELF_CARE = "self_care", "Self-care"
    SEE_DOCTOR = "see_doctor", "See a doctor"
    URGENT = "urgent", "Urgent"
    EMERGENCY = "emergency", "Emergency"


URGENCY_RANK = {level: rank for rank, level in enumerate(Urgency)}


class Category(models.TextChoices):
    """Cause categories, in the order the causes page shows them."""

    MUSCLES = "muscles", "Muscles"
    LIFESTYLE = "lifestyle", "Lifestyle"
    NUTRITION = "nutrition", "Nutrition"
    NERVES = "nerves", "Nerves and circulation"
    MEDICAL = "medical", "Medicines and medical conditions"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: every public page starts here."""
        return self.filter(status=Status.PUBLISHED)


class Publishable(models.Model):
    """Status and review dates shared by everything readers see."""

    status = models.CharField(
        max_length=10,
        choices=Status,
        default=Status.DRAFT,
        help_text="Only published items appear on the site. Drafts are visible to editors only.",
    )
    last_reviewed = models.DateField(
        default=_today, help_text="When a person last checked this content. Shown on the page."
    )
    next_review_due = models.DateField(
        default=_a_year_from_today, help_text="When this content must be checked again. Shown on the page."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_due__gte=F("last_reviewed")),
                name="%(app_label)s_%(class)s_review_after_last_review",
                violation_error_message="The next review must be on or after the last review.",
            ),
        ]

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class Source(models.Model):
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200, help_text="Who published it, for example 'NHS'.")
    url = models.URLField("URL", blank=True, max_length=500, help_text="Leave empty if there is no web address.")
    accessed = models.DateField(default=_today, help_text="When we last read this source.")

    class Meta:
        ordering = ["title"]
        verbose_name = "source"

    def __str__(self) -> str:
        return f"{self.title} ({self.publisher})"


class Remedy(Publishable):
    title = models.CharField(max_length=120, help_text="A short action, for example 'Drink enough water'.")
    slug = models.SlugField(max_length=120, unique=True, help_text="The end of the page's web address.")
    summary = models.CharField(
        max_length=200, help_text="One or two sentences. Shown in lists and as the search result description."
    )
    body = models.TextField(help_text="What to do and how it helps. Markdown: ## subheadings, - lists, **bold**.")
    caution = models.TextField(
        blank=True, help_text="Safety warning shown in a box, for example for supplements. Markdown."
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="remedies")

    class Meta(Publishable.Meta):
        ordering = ["title"]
        verbose_name = "remedy"
        verbose_name_plural = "remedies"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("causes:remedy-detail", kwargs={"slug": self.slug})


class Cause(Publishable):
    title = models.CharField(
        max_length=120, help_text="Plain term first, medical term in brackets: 'Nerve damage (neuropathy)'."
    )
    slug = models.SlugField(max_length=120, unique=True, help_text="The end of the page's web address.")
    category = models.CharField(max_length=20, choices=Category, help_text="Groups causes on the causes page.")
    summary = models.CharField(
        max_length=200, help_text="One or two sentences. Shown in lists and as the search result description."
    )
    body = models.TextField(
        help_text="What it is, why it makes toes twitch, other signs. Markdown: ## subheadings, - lists, **bold**."
    )
    self_care = models.TextField("what you can do", help_text="Self-care advice. Markdown.")
    see_doctor = models.TextField("when to see a doctor", help_text="When and how urgently to get help. Markdown.")
    urgency = models.CharField(
        max_length=12,
        choices=Urgency,
        default=Urgency.SEE_DOCTOR,
        help_text="Colours the 'when to see a doctor' box and feeds the questionnaire's triage.",
    )
    remedies = models.ManyToManyField(Remedy, blank=True, related_name="causes", help_text="Remedies that help.")
    sources = models.ManyToManyField(Source, blank=True, related_name="causes")

    class Meta(Publishable.Meta):
        ordering = ["title"]
        verbose_name = "cause"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("causes:cause-detail", kwargs={"slug": self.slug})


class Faq(Publishable):
    question = models.CharField(max_length=200, help_text="Written as a reader would ask it.")
    slug = models.SlugField(max_length=120, unique=True, help_text="The anchor of this question on the FAQ page.")
    answer = models.TextField(help_text="Markdown: - lists, **bold**.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first on the FAQ page.")
    causes = models.ManyToManyField(Cause, blank=True, related_name="faqs", help_text="Causes this question is about.")

    class Meta(Publishable.Meta):
        ordering = ["order", "question"]
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return f"{reverse('causes:faq')}#{self.slug}"


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
        help_text="Red-flag questions come first and must be answered. Their options should carry an urgency.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first. Red flags always lead.")

    class Meta(Publishable.Meta):
        ordering = ["-red_flag", "order", "id"]
        verbose_name = "question"

    def __str__(self) -> str:
        return self.text


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

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = "answer option"
        constraints = [
            models.CheckConstraint(
                condition=Q(urgency="") | ~Q(advice=""),
                name="causes_option_urgency_needs_advice",
                violation_error_message="An answer with an urgency needs advice saying what to do.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.key}: {self.label}"


class OptionWeight(models.Model):
    """How one answer changes how likely one cause is."""

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="weights")
    cause = models.ForeignKey(Cause, on_delete=models.CASCADE, related_name="option_weights")
    weight = models.SmallIntegerField(
        help_text="From -3 to 3. 3 = a strong pointer, 1 = a weak one; negative makes the cause less likely."
    )

    class Meta:
        ordering = ["option", "-weight"]
        verbose_name = "cause weight"
        constraints = [
            models.UniqueConstraint(
                fields=["option", "cause"],
                name="causes_optionweight_one_weight_per_cause",
                violation_error_message="This answer already has a weight for that cause.",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=-3, weight__lte=3) & ~Q(weight=0),
                name="causes_optionweight_weight_in_range",
                violation_error_message="The weight must be from -3 to 3, and not 0.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.option.label} → {self.cause.title}: {self.weight:+d}"
