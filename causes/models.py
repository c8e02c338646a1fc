import datetime

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from editorial import lifecycle
from editorial.models import Publishable, history

from . import urgency


def _today() -> datetime.date:
    return timezone.localdate()


def _a_year_from_today() -> datetime.date:  # the old default, still named by migrations
    return lifecycle.next_review(timezone.localdate())


# The database's choices, made from the one definition of the levels in causes/urgency.py.
Urgency = models.TextChoices("Urgency", [(level.value.upper(), (level.value, level.label)) for level in urgency.LEVELS])


class Category(models.TextChoices):
    """Cause categories, in the order the causes page shows them."""

    MUSCLES = "muscles", "Muscles"
    LIFESTYLE = "lifestyle", "Lifestyle"
    NUTRITION = "nutrition", "Nutrition"
    NERVES = "nerves", "Nerves and circulation"
    MEDICAL = "medical", "Medicines and medical conditions"


def page_slug(help_text: str = "The end of the page's web address.") -> models.SlugField:
    """The end of a page's address (or its anchor): unique, so it finds one item."""
    return models.SlugField(max_length=120, unique=True, help_text=help_text)


def page_summary(
    help_text: str = "One or two sentences. Shown in lists and as the search result description. Needed to publish.",
) -> models.CharField:
    """A page's one or two sentences, shown in lists and as its search result description."""
    return models.CharField(max_length=200, blank=True, help_text=help_text)


class Source(Publishable):
    """A page the site's facts come from, cited on the pages that use it.

    Only a live source is cited; what it is and where it points pass clinical sign-off, as a changed
    address or a changed "medical evidence" tick changes what a page claims its facts rest on.
    """

    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200, help_text="Who published it, for example 'NHS'.")
    url = models.URLField("URL", blank=True, max_length=500, help_text="Leave empty if there is no web address.")
    accessed = models.DateField(
        null=True,
        blank=True,
        default=_today,
        help_text=(
            "When we last read this source. Leave empty if no copy of it could be read: readers see no date then."
        ),
    )
    evidence = models.BooleanField(
        "medical evidence",
        default=True,
        help_text=(
            "Ticked for a medical source (NHS, MedlinePlus, NINDS or a peer-reviewed review). Untick for an article "
            "that only gave us a topic: it is listed as 'where our topics came from', never as evidence."
        ),
    )

    history = history()

    REQUIRED_TO_PUBLISH = ("title", "publisher")
    NEEDS_A_SOURCE = False
    REVIEWED_FIELDS = ("title", "publisher", "url", "evidence")

    class Meta(Publishable.Meta):
        ordering = ["-evidence", "publisher", "title"]
        verbose_name = "source"
        permissions = [("approve_source", "Can approve a change to a source")]

    def __str__(self) -> str:
        return f"{self.title} ({self.publisher})"


class Article(Publishable):
    """A cause or a remedy: a page of its own, named by its title, at causes:<kind>-detail, listed A to Z."""

    class Meta(Publishable.Meta):
        abstract = True
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(f"causes:{self._meta.model_name}-detail", kwargs={"slug": self.slug})


class Remedy(Article):
    title = models.CharField(max_length=120, help_text="A short action, for example 'Drink enough water'.")
    slug = page_slug()
    summary = page_summary()
    body = models.TextField(
        blank=True,
        help_text="What to do and how it helps. Markdown: ## subheadings, - lists, **bold**. Needed to publish.",
    )
    caution = models.TextField(
        blank=True, help_text="Safety warning shown in a box, for example for supplements. Markdown."
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="remedies")

    history = history()

    REQUIRED_TO_PUBLISH = ("summary", "body")
    REVIEWED_FIELDS = ("title", "summary", "body", "caution")
    LINKED = ("sources",)

    class Meta(Article.Meta):
        verbose_name = "remedy"
        verbose_name_plural = "remedies"
        permissions = [("approve_remedy", "Can approve a change to a remedy")]


class Cause(Article):
    title = models.CharField(
        max_length=120, help_text="Plain term first, medical term in brackets: 'Nerve damage (neuropathy)'."
    )
    slug = page_slug()
    category = models.CharField(max_length=20, choices=Category, help_text="Groups causes on the causes page.")
    summary = page_summary()
    body = models.TextField(
        blank=True,
        help_text="What it is, why it makes toes twitch, other signs. Markdown: ## subheadings, - lists, **bold**.",
    )
    self_care = models.TextField(
        "what you can do", blank=True, help_text="Self-care advice, shown in the self-care box. Markdown."
    )
    urgency = models.CharField(
        max_length=12,
        choices=Urgency,
        default=Urgency.SEE_DOCTOR,
        help_text=(
            "How soon someone with this cause usually needs help. Feeds the questionnaire's triage; "
            "the page's boxes come from its warning signs."
        ),
    )
    remedies = models.ManyToManyField(Remedy, blank=True, related_name="causes", help_text="Remedies that help.")
    sources = models.ManyToManyField(Source, blank=True, related_name="causes")
    related = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="related_to",
        help_text="Causes to suggest at the foot of this page, first in this list. Others that share answers follow.",
    )

    history = history()

    REQUIRED_TO_PUBLISH = ("summary", "body", "self_care", "urgency")
    REVIEWED_FIELDS = ("title", "category", "summary", "body", "self_care", "urgency")
    LINKED = ("sources", "remedies", "warning_signs")

    class Meta(Article.Meta):
        verbose_name = "cause"
        permissions = [("approve_cause", "Can approve a change to a cause")]


class Faq(Publishable):
    question = models.CharField(max_length=200, help_text="Written as a reader would ask it.")
    slug = page_slug("The anchor of this question on the FAQ page.")
    answer = models.TextField(blank=True, help_text="Markdown: - lists, **bold**. Needed to publish.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first on the FAQ page.")
    causes = models.ManyToManyField(Cause, blank=True, related_name="faqs", help_text="Causes this question is about.")
    sources = models.ManyToManyField(Source, blank=True, related_name="faqs")

    history = history()

    REQUIRED_TO_PUBLISH = ("answer",)
    REVIEWED_FIELDS = ("question", "answer")
    LINKED = ("sources",)

    class Meta(Publishable.Meta):
        ordering = ["order", "question"]
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"
        permissions = [("approve_faq", "Can approve a change to an FAQ")]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return f"{reverse('causes:faq')}#{self.slug}"


class WarningSign(Publishable):
    """One sign that means getting help, at the level the source gives it: the warning-sign register.

    Cause pages show their signs in one box per level, most urgent first; general signs are also
    shown on the home page, the lists and the questionnaire's results. The most safety-critical
    text on the site: a new sign is a draft until a clinical reviewer publishes it, and a change to
    a live sign's words or level waits for one, like any medical text.
    """

    key = models.SlugField(
        max_length=80, unique=True, help_text="A short fixed name. Questionnaire answers point at it."
    )
    text = models.TextField(
        help_text=(
            "Finishes a heading such as 'See a GP if:'. Start with 'you' or 'your'; no full stop. "
            "For example: 'you have had a twitch for more than 2 weeks'."
        )
    )
    level = models.CharField(max_length=12, choices=Urgency, help_text="How soon to get help, as the source says.")
    action = models.CharField(
        "what to do at once",
        max_length=300,
        blank=True,
        help_text=(
            "Optional. Steps the source says to take straight away, shown under the sign in full sentences. "
            "For example: 'Do not drive yourself.'"
        ),
    )
    general = models.BooleanField(
        default=False, help_text="Also show this sign on the home page, the lists and the questionnaire's results."
    )
    causes = models.ManyToManyField(
        Cause, blank=True, related_name="warning_signs", help_text="The causes whose pages show this sign."
    )
    sources = models.ManyToManyField(
        Source,
        blank=True,
        related_name="warning_signs",
        help_text="The pages this sign comes from, cited in its box. Every sign on the site needs one.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first within a level.")

    history = history()

    REQUIRED_TO_PUBLISH = ("text", "level")
    REVIEWED_FIELDS = ("text", "level", "action")
    LINKED = ("sources",)

    class Meta(Publishable.Meta):
        ordering = ["order", "id"]
        verbose_name = "warning sign"
        permissions = [("approve_warningsign", "Can approve a change to a warning sign")]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(level=Urgency.SELF_CARE),
                name="causes_warningsign_needs_help",
                violation_error_message="A warning sign means getting help: choose see a doctor, urgent or emergency.",
            ),
        ]

    def __str__(self) -> str:
        return f"{urgency.level(self.level).label}: {self.text}"

    def approved(self, reviewer) -> None:
        """Its questionnaire answers carry its level: when a new level is approved, they follow it.

        Saved as the reviewer's changes to the questionnaire, so they wait for its release like any other.
        """
        for option in self.options.exclude(urgency=self.level):
            option.urgency = self.level
            option._history_user = reviewer
            option._change_reason = f"Follows its warning sign's approved level: {self.get_level_display()}."
            option.save()


class SitePage(Publishable):
    """The site's own words: the home page's introduction, about, privacy, and any page an editor adds.

    Its text passes clinical sign-off like any medical text. A few slugs are fixed (FIXED_ADDRESSES
    and PARTS): the site looks those pages up by slug, so they keep it.
    """

    title = models.CharField(max_length=120, help_text="The page's main heading, and its name in browser tabs.")
    slug = page_slug("The end of the page's web address, after /pages/. The site's own pages keep theirs.")
    summary = page_summary("One or two sentences. Shown as the search result description.")
    lead = models.TextField(
        blank=True, help_text="Optional. A short introduction, shown in large text under the title."
    )
    body = models.TextField(
        blank=True, help_text="The page's text. Markdown: ## subheadings, - lists, **bold**. Needed to publish."
    )

    history = history()

    REQUIRED_TO_PUBLISH = ("body",)
    NEEDS_A_SOURCE = False
    REVIEWED_FIELDS = ("title", "summary", "lead", "body")
    # Pages with an address of their own, kept from before editors wrote them: slug -> URL name.
    FIXED_ADDRESSES = {"home": "causes:home", "about": "causes:about", "privacy": "causes:privacy"}
    # Text shown inside another page, with no address of its own: slug -> the URL name of that page.
    PARTS = {"results-tips": "questionnaire:check-your-symptoms"}

    class Meta(Publishable.Meta):
        ordering = ["title"]
        verbose_name = "site page"
        permissions = [("approve_sitepage", "Can approve a change to a site page")]

    def __str__(self) -> str:
        return "Home page" if self.slug == "home" else self.title  # its title is the site's question, not its name

    def save(self, *args, **kwargs) -> None:
        self.check_fixed_slug()  # on every save, not only a form's
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        named = self.FIXED_ADDRESSES | self.PARTS
        if self.slug in named:
            return reverse(named[self.slug])
        return reverse("causes:page", kwargs={"slug": self.slug})

    def clean(self) -> None:
        self.check_fixed_slug()

    def check_fixed_slug(self) -> None:
        """A page the site looks up by its slug keeps it, or the site would lose it."""
        fixed = [*self.FIXED_ADDRESSES, *self.PARTS]
        if self.pk is None:
            return
        before = SitePage.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        if before in fixed and self.slug != before:
            message = f"The site shows this page by its slug “{before}”. Keep that slug."
            raise ValidationError({"slug": ValidationError(message, code="fixed_slug")})


class UrgencyWording(Publishable):
    """What readers are told at one urgency level: the headings and advice of its boxes.

    Without a live row for a level, the site uses the words in causes/urgency.py. The level's
    name, order and ranking stay in code: the questionnaire's matching depends on them.
    """

    level = models.CharField(max_length=12, choices=Urgency, unique=True, help_text="The level these words are for.")
    heading = models.CharField(max_length=200, help_text="Heading of the questionnaire's results box at this level.")
    card_heading = models.CharField(
        "box heading",
        max_length=200,
        help_text="Heading of a page's box of warning signs at this level, finished by the signs: 'See a GP if:'.",
    )
    advice = models.CharField(
        max_length=300, help_text="One line of advice on the results, when no answer gave more specific advice."
    )
    where = models.CharField(
        "where to get help",
        max_length=300,
        blank=True,
        help_text="Optional. Where to get help at this level anywhere in the UK. Shown in every box at this level.",
    )
    title_prefix = models.CharField(
        "results title start",
        max_length=100,
        blank=True,
        help_text="Optional. Starts the results page's title, so it is the first thing read: 'Urgent: get help today.'",
    )
    insist = models.CharField(
        "said in bold",
        max_length=200,
        blank=True,
        help_text="Optional. Said in bold after the advice on the results, whatever the advice was.",
    )

    history = history()

    REQUIRED_TO_PUBLISH = ("heading", "card_heading", "advice")
    NEEDS_A_SOURCE = False
    REVIEWED_FIELDS = urgency.WORDS  # each replaces the same word of the level in causes/urgency.py

    class Meta(Publishable.Meta):
        ordering = ["level"]
        verbose_name = "urgency wording"
        verbose_name_plural = "urgency wording"
        permissions = [("approve_urgencywording", "Can approve a change to urgency wording")]

    def __str__(self) -> str:
        return f"{urgency.level(self.level).label} wording"


# The link tables Django makes for these lists name a row "WarningSign_causes object (174)"; the admin's tables
# of signs on a cause and causes a remedy helps with show each row by this name, so it names what is linked.
WarningSign.causes.through.__str__ = lambda link: str(link.warningsign)
Cause.remedies.through.__str__ = lambda link: str(link.cause)

PAGE_MODELS: tuple[type[Publishable], ...] = (Cause, Remedy, Faq, SitePage)  # the kinds of item with a public page
NOT_A_PAGE = "Choose a cause, remedy, FAQ or site page: only they have pages an old address can lead to."


class MovedPage(models.Model):
    """An address a page used to have: it redirects for good to wherever the item is now.

    Made when an editor changes a slug, so links and search results keep working.
    """

    old_path = models.CharField(max_length=300, unique=True, help_text="The old address, for example /causes/cramp/.")
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        limit_choices_to={"app_label": "causes", "model__in": [model._meta.model_name for model in PAGE_MODELS]},
        help_text="The kind of page the old address leads to.",
    )
    object_id = models.PositiveBigIntegerField(
        help_text="The ID of that cause, remedy, FAQ or site page (in its admin address)."
    )
    item = GenericForeignKey("content_type", "object_id")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        verbose_name = "moved page"

    def __str__(self) -> str:
        return self.old_path

    def clean(self) -> None:
        """The admin form's help: say at once that the address would lead nowhere.

        Not a save() invariant: the item may be deleted later (nothing cascades through a generic
        link), so readers are kept safe where the row is read, by `live_page`, whatever the row says.
        """
        if self.content_type_id is None or self.object_id is None:
            return  # the field's own error says what is missing
        model = self.content_type.model_class()
        if model not in PAGE_MODELS:
            raise ValidationError({"content_type": ValidationError(NOT_A_PAGE, code="not_a_page")})
        if not model._default_manager.filter(pk=self.object_id).exists():
            message = f"There is no {model._meta.verbose_name} with the ID {self.object_id}."
            raise ValidationError({"object_id": ValidationError(message, code="no_such_page")})

    def live_page(self) -> Publishable | None:
        """The published page this address leads to; None for anything else, whatever the row says."""
        model = self.content_type.model_class()
        if model not in PAGE_MODELS:
            return None
        return model.objects.published().filter(pk=self.object_id).first()
