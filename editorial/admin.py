"""The admin every content model shares: sign-off, the lifecycle's actions, history with revert and compare.

No model is registered here; each app registers its own with these classes.
"""

import copy
import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import NestedObjects, quote, unquote
from django.contrib.admin.widgets import AdminTextareaWidget
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from . import asks, lifecycle, notifications, publishing, readability, review, scheduling
from .lifecycle import Status
from .models import Change


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Review overdue"), ("due-soon", "Due in the next 30 days")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(next_review_due__lt=today)
        if self.value() == "due-soon":
            return queryset.filter(next_review_due__gte=today, next_review_due__lte=today + datetime.timedelta(days=30))
        return queryset


class WaitingFilter(admin.SimpleListFilter):
    """Find what waits: a draft or a change waiting for review, or a new item or a change scheduled to go live."""

    title = "waiting or scheduled"
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("review", "Waiting for review"), ("scheduled", "Scheduled to go live")]

    def queryset(self, request, queryset):
        model = queryset.model
        if self.value() == "review":
            waiting = Q(status=Status.REVIEW)
            if model.REVIEWED_FIELDS:
                waiting |= Q(Exists(changes_of_row(model).filter(state=review.WAITING)))
            return queryset.filter(waiting)
        if self.value() == "scheduled":
            later = Q(status=Status.PUBLISHED, publish_at__gt=timezone.now())
            if model.REVIEWED_FIELDS:
                later |= Q(Exists(changes_of_row(model).filter(state=scheduling.SCHEDULED)))
            return queryset.filter(later)
        return queryset


def changes_of_row(model: type[models.Model]):
    """The changes proposed to the row of the outer query (a subquery: Change keeps the item's id as text)."""
    return Change.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=Cast(OuterRef("pk"), models.CharField())
    )


class SummaryField(forms.CharField):
    """A summary is one or two sentences: a box of a few lines to write them in, saved as one paragraph."""

    def to_python(self, value):
        value = super().to_python(value)
        return " ".join(value.split()) if value else value  # a line break typed in the box is a space


class SiteModelAdmin(admin.ModelAdmin):
    """Base for every admin here: hostile bulk selections get a message, not a 500; a delete names all it touches."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "summary" and isinstance(db_field, models.CharField):  # every model with a summary
            kwargs.setdefault("form_class", SummaryField)
            kwargs.setdefault("widget", AdminTextareaWidget(attrs={"rows": 3}))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def response_action(self, request, queryset):
        pk = self.model._meta.pk
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                pk.run_validators(pk.to_python(value))  # the range too: SQLite cannot even compare a 30-digit id
        except ValidationError:
            self.message_user(request, "Some selected items were not recognised. Nothing was changed.", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)

    def get_deleted_objects(self, objs, request):
        """What a delete takes with it, for the confirmation page and the bulk action alike.

        As Django lists it, except that every link the delete removes is named: Django would show a
        many-to-many link as "Cause-remedy relationship: Cause_remedies object (7)" and would leave out
        an answer that only loses its warning sign, so an editor could not see which pages change.
        Protected items (weights on a cause) refuse the delete as in Django, each named by the page
        where it is edited.
        """
        collector = NestedObjects(using=router.db_for_write(self.model), origin=objs)
        collector.collect(objs)
        perms_needed: set[str] = set()

        def staying(obj: models.Model) -> bool:
            return obj not in collector.model_objs.get(obj._meta.model, ())  # .get: a new key would be counted

        def going(obj: models.Model) -> str:
            opts = obj._meta
            if opts.auto_created:  # a row of a many-to-many link: name the item at its other end
                ends = _pointed_to(obj)
                other = next(filter(staying, ends), ends[-1])
                kind = other._meta.verbose_name
                return format_html("Link to {} {} (the {} itself stays)", kind, self._name(other), kind)
            if self.admin_site.is_registered(opts.model):
                if not self.admin_site.get_model_admin(opts.model).has_delete_permission(request, obj):
                    perms_needed.add(opts.verbose_name)
            return format_html("{} {}", capfirst(opts.verbose_name), self._name(obj))

        def blocking(obj: models.Model) -> str:
            page = next((o for o in _pointed_to(obj) if staying(o) and self.admin_site.is_registered(type(o))), None)
            if page is None or self.admin_site.is_registered(type(obj)):
                return going(obj)
            return format_html(
                "{} on {} {}", capfirst(obj._meta.verbose_name), page._meta.verbose_name, self._name(page)
            )

        deleted = collector.nested(going)
        deleted += [  # SET_NULL: the item stays, its link goes
            format_html(
                "{} {} stays, without its {}", capfirst(obj._meta.verbose_name), self._name(obj), field.verbose_name
            )
            for (field, _value), batches in collector.field_updates.items()
            for batch in batches
            for obj in batch
        ]
        counts: dict[str, int] = {}
        for model, instances in collector.model_objs.items():
            name = model._meta.verbose_name_plural
            if model._meta.auto_created:
                ends = [
                    f.related_model for f in model._meta.fields if f.many_to_one and f.related_model is not self.model
                ]
                name = f"links to {(ends or [model])[0]._meta.verbose_name_plural}"
            counts[name] = counts.get(name, 0) + len(instances)
        return deleted, counts, perms_needed, [blocking(obj) for obj in collector.protected]

    def _name(self, obj: models.Model) -> str:
        """“Title”, linked to the item's admin page when it has one."""
        opts = obj._meta
        if not self.admin_site.is_registered(opts.model):
            return format_html("“{}”", obj)
        url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
        return format_html('“<a href="{}">{}</a>”', url, obj)


class ContentAdmin(SimpleHistoryAdmin, SiteModelAdmin):
    """An admin with django-simple-history's revision list: what changed, who changed it, and revert.

    A revert saves the old version through `save_model` like any edit, so it is a new revision, it
    moves the page cache on, and on a published item it waits for a clinical reviewer. Its reason
    names the version it went back to. Any two revisions can be compared, line by line.
    """

    def history_view(self, request, object_id, extra_context=None):
        item = self.get_object(request, unquote(object_id))
        if item is None:  # a hostile id gets the admin's own message
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if getattr(item, "REVIEWED_FIELDS", ()):  # what became of each change sent for review, below the versions
            # An approved change is a version above (its approval, naming its author): one row, not two.
            changes = (
                Change.objects.of(item).exclude(state=Change.State.APPROVED).select_related("author", "decided_by")
            )
            extra_context = {**(extra_context or {}), "proposed_changes": changes}
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        item = self.get_object(request, unquote(object_id))
        if item is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        version = _revision(item, version_id)
        if version is None:
            raise Http404("There is no such version.")
        request.reverting_to = version  # for save_model: the new revision says what it went back to
        extra_context = {**(extra_context or {}), "version": version}  # the revert page says whose and when
        return super().history_form_view(request, object_id, version_id, extra_context)

    def history_form_view_title(self, request, obj):
        if self.revert_disabled(request, obj):
            return f"An earlier version of “{obj}”"
        return f"Go back to an earlier version of “{obj}”"

    def save_model(self, request, obj, form, change):
        if reason := self.revert_reason(request):
            obj._change_reason = reason
        super().save_model(request, obj, form, change)

    def revert_reason(self, request) -> str:
        """The reason a revert records, or "" for any other save."""
        version = getattr(request, "reverting_to", None)
        if version is None:
            return ""
        when = timezone.localtime(version.history_date).strftime("%-d %b %H:%M")
        who = notifications.name(version.history_user) if version.history_user else "someone unknown"
        return f"Reverted to the version of {when} by {who}."

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each revision against the saved version before it, every line in full (never "[1234 chars]").

        Changes that wait for review are not here: they are not versions of the item (`Change`).
        """
        records = list(historical_records)
        for record, base in zip(records, records[1:], strict=False):
            record.history_delta_changes = review.differences(base, record)

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_history_compare"
        view = self.admin_site.admin_view(self.history_compare_view)
        return [path("<path:object_id>/history/compare/", view, name=name), *super().get_urls()]

    def history_compare_view(self, request, object_id):
        """Two revisions of an item, field by field and line by line (?older=<id>&newer=<id>, in either order)."""
        item = self.get_object(request, unquote(object_id))
        if item is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_history_or_change_history_permission(request, item):
            raise PermissionDenied
        history_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[quote(item.pk)])
        chosen = [_revision(item, request.GET.get(name, "")) for name in ("older", "newer")]
        if None in chosen:
            self.message_user(request, "Choose two revisions of this item to compare.", messages.ERROR)
            return HttpResponseRedirect(history_url)
        older, newer = sorted(chosen, key=lambda revision: (revision.history_date, revision.history_id))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": item,
            "title": f"Compare two revisions of “{item}”",
            "older": older,
            "newer": newer,
            "changes": review.differences(older, newer),
            "history_url": history_url,
        }
        return TemplateResponse(request, "admin/history_compare.html", context)


class _FormErrors(Exception):
    """The schedule form was not filled in right: the review page shows it again with its errors."""


def _linked_id(item: models.Model) -> str:
    """How a linked draft is named in the review form's tick boxes: its kind and id."""
    return f"{item._meta.label_lower}:{item.pk}"


def change_url(item: models.Model) -> str:
    """The item's own page in the admin."""
    return reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[quote(item.pk)])


def _sources_with(item, drafts) -> int:
    """How many sources the item would cite if its linked draft sources were published with it."""
    if not item.NEEDS_A_SOURCE:
        return 0
    source = item._meta.get_field("sources").related_model
    return publishing.sources_cited(item) + sum(isinstance(draft, source) for draft in drafts)


def _new_texts(item) -> list[dict]:
    """Each medical field of a new item as the reviewer reads it, with its reading check where readers read it."""
    kinds = readability.reader_fields(item._meta.label)
    texts = []
    for name in item.REVIEWED_FIELDS:
        field = item._meta.get_field(name)
        value = getattr(item, f"get_{name}_display")() if field.choices else getattr(item, name)
        check = None
        if isinstance(value, str) and value.strip() and not field.choices:
            check = readability.check(kinds.get(name, readability.TEXT), value)
        texts.append({"label": capfirst(field.verbose_name), "value": value, "check": check})
    return texts


def _revision(item: models.Model, history_id: str):
    """One revision of this item by its id as typed in an address, or None for anything else."""
    if not (history_id.isascii() and history_id.isdigit() and len(history_id) <= 18):
        return None
    return item.history.filter(history_id=int(history_id)).select_related("history_user").first()


def _pointed_to(obj: models.Model) -> list[models.Model]:
    """The items a row's foreign keys point to, in field order."""
    return [getattr(obj, field.name) for field in obj._meta.fields if field.many_to_one and getattr(obj, field.attname)]


UK_DAY_AND_TIME = "%d/%m/%Y %H:%M"


def day_and_time_field(label: str, help_text: str, **kwargs) -> forms.DateTimeField:
    """A day and a 24-hour time typed as in the UK, "24/12/2026 09:00".

    Not the browser's own date picker: it shows the reader's locale (mm/dd/yyyy in a US browser)
    beside a help text that says "UK time". A month-first date is refused with this message.
    """
    return forms.DateTimeField(
        label=label,
        input_formats=[UK_DAY_AND_TIME, "%Y-%m-%d %H:%M"],  # and ISO "2026-12-24T09:00", as Django always takes
        widget=forms.DateTimeInput(
            format=UK_DAY_AND_TIME, attrs={"placeholder": "dd/mm/yyyy hh:mm", "size": 16, "autocomplete": "off"}
        ),
        help_text=f"Day, month, year, then a 24-hour time, for example 24/12/2026 09:00. {help_text}",
        error_messages={
            "invalid": "Enter a day and time as day/month/year and a 24-hour time, for example 24/12/2026 09:00.",
            **kwargs.pop("error_messages", {}),
        },
        **kwargs,
    )


class ScheduleForm(forms.Form):
    """When an approved change goes live: later today at the soonest, within a year."""

    goes_live_at = day_and_time_field(
        "Go live on",
        "UK time. Readers see the live version until then.",
        error_messages={"required": "Choose the day and time the change should go live."},
    )

    def clean_goes_live_at(self):
        at = self.cleaned_data["goes_live_at"]
        if why := scheduling.refuse_time(at):
            raise ValidationError(why, code="out_of_window")
        return at


class PublishableForm(forms.ModelForm):
    """Publishing is refused while the item is incomplete, with exactly what it lacks; drafts may be.

    Where the model's medical content needs sign-off, only a clinical reviewer may publish, and not
    a change they wrote themselves. `request` is set by the admin's `get_form`.
    """

    request: HttpRequest | None = None
    # The editor's own change that waits for review, shown in the fields in its place (set by `get_form`).
    own_waiting = None
    waiting_words: dict[str, object] = {}  # replaced, never changed in place

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update({name: value for name, value in self.waiting_words.items() if name in self.fields})

    def clean(self):
        cleaned = super().clean()
        if self.request is None:
            return cleaned
        user, item = self.request.user, copy.copy(self.instance)
        for name in (*item.REQUIRED_TO_PUBLISH, *item.REVIEWED_FIELDS, "status", "publish_at"):
            if name in self.fields and name in cleaned:
                setattr(item, name, cleaned[name])
        live = review.live_version(self.instance)  # read once for both rules; a revert is compared with it too
        refusals = [
            publishing.refuse_publish_time(item, cleaned.get("publish_at"), live=live),
            publishing.refuse_status(item, item.status, user, live=live, sources=cleaned.get("sources")),
        ]
        for refusal in refusals:
            if refusal is not None:
                raise ValidationError(refusal.form, code=refusal.code)
        return cleaned


SENT_FOR_REVIEW = "Sent for clinical review. A clinical reviewer who did not write it checks it before it goes live."


ASK_FOR_A_TIME = (
    "A clinical reviewer sets this. To ask for a go-live time, save the item, "
    "then use “Ask a clinical reviewer” at the top of this page."
)


class PublishableAdmin(ContentAdmin):
    """Shared list columns, filters and bulk actions for everything with a status, and clinical sign-off."""

    def preview_url(self, obj, change=None) -> str:
        """A model with a public page adds its preview (causes/preview.py's PreviewMixin); others have none."""
        return ""

    form = PublishableForm
    list_filter = ["status", WaitingFilter, ReviewDueFilter]
    # Review dates are set only by a clinical review (the "mark reviewed" action, an approval), never typed in.
    readonly_fields = ["last_reviewed", "next_review_due", "reviewed_by", "created", "updated"]
    actions = ["publish", "unpublish", "mark_reviewed_today"]
    save_on_top = True

    @admin.display(boolean=True, description="published", ordering="status")
    def published(self, obj) -> bool:
        return obj.is_live

    @admin.display(description="state", ordering="status")
    def state(self, obj) -> str:
        return lifecycle.state(
            obj.status,
            obj.publish_at,
            waiting=getattr(obj, "has_waiting_change", False),
            change_at=getattr(obj, "change_goes_live_at", None),
            was_live=getattr(obj, "was_live", False),
        )

    def get_queryset(self, request):
        """Each item knows whether a change to it waits for review, for the list's state column (no extra query)."""
        queryset = super().get_queryset(request)
        if not self.model.REVIEWED_FIELDS:
            return queryset
        changes = changes_of_row(self.model)
        scheduled = changes.filter(state=scheduling.SCHEDULED).order_by("goes_live_at").values("goes_live_at")
        return queryset.annotate(
            has_waiting_change=Exists(changes.filter(state=review.WAITING)),
            change_goes_live_at=Subquery(scheduled[:1]),
            was_live=Exists(self.model.history.filter(id=OuterRef("pk"), status=Status.PUBLISHED)),
        )

    def has_approve_permission(self, request) -> bool:
        """Shows the reviewer's actions and buttons; the services they call decide (`review`, `publishing`)."""
        return review.can_approve(request.user, self.model) and self.has_change_permission(request)

    # When a page goes live is a clinical reviewer's to set (`publishing.save_edit` refuses anyone else).
    REVIEWER_FIELDS = ("publish_at",)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self.model.REVIEWED_FIELDS and not review.can_approve(request.user, self.model):
            fields += [name for name in self.REVIEWER_FIELDS if name not in fields]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if "publish_at" in self.get_readonly_fields(request, obj):  # said to someone who cannot set it
            kwargs["help_texts"] = {**kwargs.get("help_texts", {}), "publish_at": ASK_FOR_A_TIME}
        form = super().get_form(request, obj, change, **kwargs)
        form.request = request
        if change and obj is not None and lifecycle.is_published(obj.status):  # the change page; not a revert's form
            form.own_waiting = review.own_waiting(obj, request.user)
            form.waiting_words = review.proposed(obj, form.own_waiting) if form.own_waiting else {}
        return form

    @admin.action(description="Publish the selected items", permissions=["approve"])
    def publish(self, request, queryset):
        published = self._set_status(request, queryset, Status.PUBLISHED, "was not published")
        self.message_user(request, f"{published} item(s) published.", messages.SUCCESS)

    @admin.action(description="Mark the selected items reviewed today", permissions=["approve"])
    def mark_reviewed_today(self, request, queryset):
        done = 0
        for item in queryset:
            try:
                self.log_change(request, item, publishing.mark_reviewed(item, request.user))
            except PermissionDenied as refused:
                self.message_user(
                    request, f"“{item}” was not marked reviewed: {publishing.in_a_list(refused)}", messages.ERROR
                )
                continue
            done += 1
        due = lifecycle.next_review(timezone.localdate())
        self.message_user(request, f"{done} item(s) marked reviewed today; next review {due:%d %B %Y}.")

    def save_model(self, request, obj, form, change):
        """Save by the lifecycle's rules (editorial/publishing.py): a published item's medical changes wait for review.

        A new address keeps the old one working (causes/redirects.py, on every save).
        """
        save = lambda: super(PublishableAdmin, self).save_model(request, obj, form, change)  # noqa: E731
        shown = getattr(form, "own_waiting", None)
        outcome = publishing.save_edit(
            obj,
            request.user,
            change=change,
            save=save,
            note=self.revert_reason(request),
            shown_waiting=shown,
            sources=form.cleaned_data.get("sources"),
        )
        request._sent_for_review = (
            "" if outcome == "waiting" else SENT_FOR_REVIEW if obj.status == Status.REVIEW else None
        )
        if change and "status" in form.changed_data and not obj.is_live and (notice := self.withdrawal_notice(obj)):
            self.message_user(request, notice, messages.WARNING)
        if outcome == "withdrawn":
            self.message_user(request, "Your waiting change was withdrawn: the text is as it is live.")
        elif outcome == "waiting":
            self.message_user(
                request,
                "Sent for clinical review. Your change to the medical content is waiting for a clinical reviewer. "
                "Readers still see the approved version until someone else approves it.",
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        """Links are saved after the item: then say which linked items are drafts readers cannot see yet."""
        super().save_related(request, form, formsets, change)
        if drafts := publishing.linked_drafts(form.instance):
            names = "; ".join(f"“{draft}” ({draft._meta.verbose_name})" for draft in drafts)
            self.message_user(
                request,
                f"It links to drafts readers cannot see yet: {names}. A clinical reviewer can publish them "
                "with it from its review page.",
                messages.WARNING,
            )

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        """After a save that waits for review, one message says so, never "changed successfully" beside it."""
        instead = getattr(request, "_sent_for_review", None)
        if instead is not None and level == messages.SUCCESS:
            if not instead:
                return
            message, level = instead, messages.INFO
        super().message_user(request, message, level, *args, **kwargs)

    def get_urls(self):
        opts = self.opts
        view = self.admin_site.admin_view(self.review_view)
        name = f"{opts.app_label}_{opts.model_name}_review"
        new = self.admin_site.admin_view(self.review_new_view)
        return [
            path("<path:object_id>/review/<int:change_id>/", view, name=name),
            path("<path:object_id>/review/", new, name=f"{name}_new"),
            *super().get_urls(),
        ]

    def review_new_view(self, request, object_id):
        """An item never published, as readers will see it: its text with reading checks, the drafts it links to,
        and a reviewer's Approve (now, or at a time they choose) for it and the linked drafts they tick, in one step.

        `publishing.publish_new` decides; a refusal names the item it is about and publishes nothing.
        """
        item = self.get_object(request, unquote(object_id))
        if item is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, item):
            raise PermissionDenied
        if lifecycle.is_published(item.status):
            self.message_user(request, "This is published already: its changes are reviewed one by one.", messages.INFO)
            return HttpResponseRedirect(change_url(item))
        drafts = publishing.linked_drafts(item)
        may_approve = self.has_approve_permission(request) and review.may_approve(request.user, item)
        # One form holds the ticked drafts for both buttons: the time is not `required` in the browser, or
        # "Approve and publish" could not be sent without one (the server still requires it to schedule).
        schedule_form = ScheduleForm(
            request.POST if "_schedule" in request.POST else None, use_required_attribute=False
        )
        if request.method == "POST":
            if not may_approve or not {"_approve", "_schedule"} & set(request.POST):
                raise PermissionDenied  # buttons this person was never shown
            chosen = set(request.POST.getlist("linked"))
            linked = [draft for draft in drafts if _linked_id(draft) in chosen]
            if "_schedule" not in request.POST or schedule_form.is_valid():
                at = schedule_form.cleaned_data["goes_live_at"] if "_schedule" in request.POST else None
                try:
                    published = publishing.publish_new(item, request.user, linked=linked, at=at)
                except PermissionDenied as refused:
                    self.message_user(request, str(refused), messages.ERROR)
                    return HttpResponseRedirect(request.get_full_path())
                names = " and ".join(f"“{each}”" for each in published)
                day = f"{timezone.localtime(at):%-d %B %Y at %H:%M}" if at else ""
                if not at:
                    when = "Readers see them now."
                elif linked:
                    when = f"The linked drafts are live now; “{item}” goes live on {day}."
                else:
                    when = f"It goes live on {day}."
                self.message_user(request, f"You approved and published {names}. {when}", messages.SUCCESS)
                return HttpResponseRedirect(change_url(item))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": item,
            "title": f"Review “{item}” before it goes live",
            "fields": _new_texts(item),
            "drafts": [(_linked_id(draft), draft, change_url(draft), draft._meta.verbose_name) for draft in drafts],
            "is_author": not may_approve and request.user.pk in review.authors_since_approval(item),
            "may_approve": may_approve,
            "missing": item.missing_to_publish(_sources_with(item, drafts)),
            "schedule_form": schedule_form,
            "change_url": change_url(item),
            "preview_url": self.preview_url(item),
        }
        return TemplateResponse(request, "admin/review_new.html", context)

    def review_view(self, request, object_id, change_id):
        """A change waiting for review beside the live version; a reviewer who did not write it may approve it,
        now or from a time they choose (editorial/scheduling.py), or discard it."""
        item = self.get_object(request, unquote(object_id))
        if item is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, item):
            raise PermissionDenied
        change = review.waiting_changes(item).filter(pk=change_id).first()
        back = change_url(item)
        if change is None:
            self.message_user(request, "That change is no longer waiting for review.", messages.WARNING)
            return HttpResponseRedirect(back)
        is_author = review.wrote(request.user, change)
        may_approve = self.has_approve_permission(request) and review.may_review(request.user, item, change)
        waiting = change.state == review.WAITING
        # Which buttons to show: the services below decide; one not shown is refused with a 403, one shown in words.
        offered = {
            "_approve": may_approve and waiting,
            "_schedule": may_approve and waiting,
            "_unschedule": not scheduling.refuse_cancel(item, change, request.user),
            "_discard": not review.refuse_discard(item, change, request.user),
        }
        schedule_form = ScheduleForm(request.POST if "_schedule" in request.POST else None)
        if request.method == "POST":  # each button calls the service that decides; a shown button's refusal is said
            button = next((name for name in offered if name in request.POST), None)
            if button is None or not offered[button]:
                raise PermissionDenied  # a button this person was never shown (`offered` asks the same services)
            try:
                if button == "_approve":
                    review.approve(item, change, request.user)
                    done = f"You approved the change. “{item}” now shows it."
                elif button == "_schedule":
                    if not schedule_form.is_valid():
                        raise _FormErrors
                    at = schedule_form.cleaned_data["goes_live_at"]
                    scheduling.schedule(item, change, at, request.user)
                    done = (
                        f"You approved the change to go live on {timezone.localtime(at):%-d %B %Y at %H:%M}. "
                        "Until then readers see the live version."
                    )
                elif button == "_unschedule":
                    scheduling.cancel(item, change, request.user)
                    done = "The change is off the schedule and waits for review again."
                else:
                    review.discard(item, change, request.user)
                    done = "The change was discarded. The live page did not change."
            except _FormErrors:
                pass  # shown with the schedule form below
            except PermissionDenied as refused:
                self.message_user(request, str(refused), messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            else:
                self.message_user(request, done, messages.SUCCESS)
                return HttpResponseRedirect(back)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": item,
            "title": f"Review a change to “{item}”",
            "change": change,
            "waiting": waiting,
            "changes": review.compare(item, change),
            "is_author": is_author,
            "may_approve": may_approve,
            "may_unschedule": offered["_unschedule"],
            "may_discard": offered["_discard"],
            "schedule_form": schedule_form,
            "change_url": back,
            "preview_url": self.preview_url(item, change),
        }
        return TemplateResponse(request, "admin/review_change.html", context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """On an item's page, a link to each change of it that waits for review (the item is already loaded).

        The editor's own waiting change is in the fields; the live text of each field it changes is
        listed above them.
        """
        own = getattr(context["adminform"].form, "own_waiting", None)
        if own is not None:
            context["own_waiting"] = own
            context["own_changes"] = review.compare(obj, own)
            context["own_preview_url"] = self.preview_url(obj, own)
        if change and obj is not None and request.method == "GET" and (sent := asks.open_send_back_of_new(obj)):
            text = "{} sent this back as a draft: “{}”. Rework it, then choose “Ready for clinical review” and save."
            self.message_user(request, format_html(text, notifications.name(sent.sent_by), sent.note), messages.WARNING)
        if (
            change
            and obj is not None
            and request.method == "GET"
            and obj.status == Status.REVIEW
            and obj.REVIEWED_FIELDS
        ):
            url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_review_new", args=[quote(obj.pk)])
            text = 'This draft is ready for clinical review. <a href="{}">Review it before it goes live</a>.'
            self.message_user(request, format_html(text, url), messages.INFO)
        if change and obj is not None and request.method == "GET":
            for waiting in review.waiting_changes(obj):
                url = reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_review", args=[quote(obj.pk), waiting.pk]
                )
                when = formats.date_format(timezone.localtime(waiting.created), "DATETIME_FORMAT")
                if own is not None and waiting.pk == own.pk:
                    text = (
                        "Your change from {} is waiting for clinical review. The form shows your wording; "
                        "readers still see the live text, listed above the form. "
                        '<a href="{}">Compare it with the live page</a>.'
                    )
                    self.message_user(request, format_html(text, when, url), messages.WARNING)
                    continue
                what = (
                    "is waiting for clinical review"
                    if waiting.state == review.WAITING
                    else f"is approved to go live on {timezone.localtime(waiting.goes_live_at):%-d %B %Y at %H:%M}"
                )
                self.message_user(
                    request,
                    format_html(
                        'A change by {} from {} {}. <a href="{}">Compare it with the live page</a>.',
                        notifications.name(waiting.author),
                        when,
                        what,
                        url,
                    ),
                    messages.WARNING,
                )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_withdraw_permission(self, request) -> bool:
        """Shows the bulk action to whoever `publishing.set_status` lets take these items off the site."""
        return self.has_change_permission(request) and publishing.may_withdraw(request.user, self.model)

    @admin.action(description="Unpublish the selected items (back to draft)", permissions=["withdraw"])
    def unpublish(self, request, queryset):
        """Withdrawing a live medical page is its own step: the reviewer first sees which pages readers will lose."""
        live = [item for item in queryset if item.is_live]
        if live and self.model.REVIEWED_FIELDS and request.POST.get("confirm") != "withdraw":
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Take these pages off the site?",
                "live": live,
                "queryset": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/withdraw_confirmation.html", context)
        changed = self._set_status(request, queryset, Status.DRAFT, "was not taken off the site")
        self.message_user(request, f"{changed} item(s) moved back to draft.", messages.SUCCESS)
        for item in live:
            item.refresh_from_db(fields=["status"])
            if not item.is_live and (notice := self.withdrawal_notice(item)):
                self.message_user(request, notice, messages.WARNING)

    def withdrawal_notice(self, item) -> str:
        """What still points at an item just taken off the site, for the reviewer to fix; "" for nothing."""
        return ""

    def _set_status(self, request, queryset, status: str, refused: str) -> int:
        """Change the status of each item through `publishing.set_status`, which decides; say why for each refused."""
        done = 0
        reason = f"Status set to {Status(status).label} with a bulk action."
        for item in queryset.exclude(status=status):
            try:
                publishing.set_status(item, status, request.user, reason)
            except PermissionDenied as why:
                self.message_user(request, f"“{item}” {refused}: {publishing.in_a_list(why)}", messages.ERROR)
                continue
            self.log_change(request, item, reason)
            done += 1
        return done


REVIEW_FIELDSET = (
    "Publishing and review",
    {"fields": ["status", "publish_at", "last_reviewed", "next_review_due", "created", "updated"]},
)
