"""The base every reader-facing model shares: a lifecycle status, review dates and revisions.

Abstract: no table here. Each content app's models inherit `Publishable` and keep their history
with `history()`: versions saved to the item, each marked if it was a reviewer's approval
(`Revision`). A change to medical text that waits for review is a `Change`, kept apart from it.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.cache import KeyedQuerySet

from . import lifecycle
from .lifecycle import Status


class Revision(models.Model):
    """What every revision in an item's history carries beyond the item's own fields (django-simple-history).

    Each revision is a version that was saved to the item itself. A change that waits for review is
    not a revision: it is a `Change`, apart from the history, until a reviewer makes it live.
    """

    approval = models.BooleanField(
        default=False,
        help_text="A clinical reviewer's approval: the medical text as saved here counts as reviewed.",
    )

    class Meta:
        abstract = True


def history(**options) -> HistoricalRecords:
    """An item's saved versions, each marked if it was a clinical reviewer's approval (`Revision`)."""
    return HistoricalRecords(bases=[Revision], **options)


def review_dates_in_order(name: str) -> models.CheckConstraint:
    """The next review is on or after the last one (either may be empty: a new draft has neither)."""
    return models.CheckConstraint(
        condition=Q(last_reviewed__isnull=True)
        | Q(next_review_due__isnull=True)
        | Q(next_review_due__gte=F("last_reviewed")),
        name=name,
        violation_error_message="The next review must be on or after the last review.",
    )


class PublishableQuerySet(KeyedQuerySet):  # a page that loads items hangs on those items
    def published(self):
        """What the public may see: every public page starts here.

        A scheduled item counts from its publish time, read by the database at query time (so a
        queryset built once, as a view's, stays right), with no job needed to make it live.
        """
        return self.filter(lifecycle.live_q())


class Publishable(models.Model):
    """Status and review dates shared by everything readers see."""

    status = models.CharField(
        max_length=10,
        choices=Status,
        default=Status.DRAFT,
        help_text="Only published items appear on the site. Drafts are visible to editors only.",
    )
    publish_at = models.DateTimeField(
        "publish at",
        null=True,
        blank=True,
        help_text=(
            "Optional. A published item with a time here goes live by itself then; until then only editors see it."
        ),
    )
    # Empty on a new draft: set when a clinical reviewer approves or publishes it (editorial/review.py `stamp`).
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="When a clinical reviewer last checked this content. Set when they approve it. Shown on the page.",
    )
    next_review_due = models.DateField(
        null=True,
        blank=True,
        help_text="When this content must be checked again. Set when a reviewer approves it. Shown on the page.",
    )
    reviewed_by = models.CharField(
        "reviewed by",
        max_length=200,
        blank=True,
        help_text="Set when a clinical reviewer approves: their public name and role. Shown on the page.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [review_dates_in_order("%(app_label)s_%(class)s_review_after_last_review")]

    # What a published item must have; a draft may lack any of it. Sources are checked apart, as
    # links are saved after the item.
    REQUIRED_TO_PUBLISH: tuple[str, ...] = ()
    NEEDS_A_SOURCE = True
    # Medical content: a change to any of these on a published item waits for a clinical reviewer.
    REVIEWED_FIELDS: tuple[str, ...] = ()
    # The links (by accessor) whose items show on this item's page: a draft among them is named on
    # its review page and may be published with it (editorial/publishing.py `linked_drafts`).
    LINKED: tuple[str, ...] = ()

    @property
    def is_live(self) -> bool:
        """Readers see it now (`lifecycle.is_live`); published but scheduled is not live yet."""
        return lifecycle.is_live(self.status, self.publish_at)

    def approved(self, reviewer) -> None:
        """Called once a reviewer's approval of a change is saved: for what must follow the approved text."""

    def missing_to_publish(self, source_count: int) -> list[str]:
        """What this item lacks before it may be published, by the names editors see in the admin.

        Not its review dates: publishing stamps them (editorial/review.py `stamp`).
        """
        missing = [
            str(self._meta.get_field(name).verbose_name) for name in self.REQUIRED_TO_PUBLISH if not getattr(self, name)
        ]
        if self.NEEDS_A_SOURCE and not source_count:
            missing.append("at least one source")
        return missing


NOTE_MAX = 1000  # a note or a reason: a few sentences, never a document


class ItemNote(models.Model):
    """What every note about one item carries: which item (any kind with medical text), and its title then."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    title = models.CharField(max_length=300, help_text="The item's title when the note was written.")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def item(self):
        return self.content_type.model_class()._default_manager.filter(pk=self.object_id).first()


class ChangeQuerySet(models.QuerySet):
    def of(self, item: models.Model):
        """The changes proposed to this item."""
        return self.filter(content_type=ContentType.objects.get_for_model(type(item)), object_id=str(item.pk))


class Change(ItemNote):
    """A change to a published item's medical text that waits for a clinical reviewer (editorial/review.py).

    Kept apart from the item's history, which holds only versions saved to the item: the live page
    stays as it is until a reviewer other than the author approves the change, now or from a set
    time (editorial/scheduling.py). Approving saves a new version by the reviewer that names the
    author; this row keeps the decision. `text` holds the whole medical text as proposed.
    """

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for review"
        SCHEDULED = "scheduled", "Approved, scheduled"
        APPROVED = "approved", "Approved"
        DISCARDED = "discarded", "Discarded"

    text = models.JSONField(help_text="Each medical field of the item as the change proposes it, by field name.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True, help_text="Why it was made, as the author or a revert said.")
    state = models.CharField(max_length=10, choices=State, default=State.WAITING)
    goes_live_at = models.DateTimeField(
        "goes live at",
        null=True,
        blank=True,
        help_text="For an approved change that is scheduled: when it takes the live version's place.",
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ChangeQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = "change waiting for review"
        verbose_name_plural = "changes waiting for review"
        indexes = [models.Index(fields=["content_type", "object_id"], name="editorial_change_item")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="scheduled") | Q(goes_live_at__isnull=False),
                name="editorial_change_scheduled_has_a_time",
            )
        ]

    def decide(self, state: str, by, **fields) -> None:
        """Record a reviewer's (or an author's) decision on this change, and when."""
        self.state, self.decided_by, self.decided_at = state, by, timezone.now()
        for name, value in fields.items():
            setattr(self, name, value)
        self.save(update_fields=["state", "decided_by", "decided_at", *fields])


class SendBack(ItemNote):
    """A clinical reviewer sent an author's waiting change, or new item, back to them with a note (editorial/asks.py).

    The change stays the author's own waiting change, so their form shows their wording to rework;
    while this is the newest word on it, reviewers do not see it in their inbox. A new item (no
    change) goes back to being a draft, until its author sends it for review again.
    """

    change = models.ForeignKey(Change, null=True, blank=True, on_delete=models.CASCADE, related_name="send_backs")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(max_length=NOTE_MAX)

    class Meta:
        ordering = ["-created"]
        verbose_name = "change sent back"
        verbose_name_plural = "changes sent back"


class EditorRequest(ItemNote):
    """An editor asks a clinical reviewer for a go-live time or to take a page offline (editorial/asks.py)."""

    class Kind(models.TextChoices):
        GO_LIVE = "go_live", "Go live at a set time"
        WITHDRAW = "withdraw", "Take the page off the site"

    class State(models.TextChoices):
        OPEN = "open", "Waiting for a reviewer"
        GRANTED = "granted", "Granted"
        DECLINED = "declined", "Declined"

    kind = models.CharField(max_length=10, choices=Kind)
    goes_live_at = models.DateTimeField("go live at", null=True, blank=True)
    reason = models.TextField(max_length=NOTE_MAX)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=State, default=State.OPEN)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(max_length=NOTE_MAX, blank=True)

    class Meta:
        ordering = ["created"]
        verbose_name = "request to a reviewer"
        verbose_name_plural = "requests to reviewers"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="go_live") | Q(goes_live_at__isnull=False),
                name="editorial_request_go_live_has_a_time",
            )
        ]
