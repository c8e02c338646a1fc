import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path

from causes.urgency import level
from editorial import review
from editorial.admin import REVIEW_FIELDSET, ContentAdmin, PublishableAdmin

from . import safety, selectors
from .models import Option, OptionWeight, Question, Release


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete box, minus submitted values that cannot be an id: it would crash showing them again."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field

        def possible(raw) -> bool:
            try:
                target.run_validators(target.to_python(raw))
            except ValidationError:
                return False
            return True

        return super().optgroups(name, [raw for raw in value if raw in ("", None) or possible(raw)], attr)


class SafeAutocomplete:
    """For an admin or inline with autocomplete fields: a hostile value gets a form error, not a server error."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class _HeldMessages:
    """Stands in for the message storage while a change is tried, so a refused change says nothing."""

    level = messages.INFO

    def __init__(self) -> None:
        self.held: list[tuple[int, str, str]] = []

    def add(self, level: int, message: str, extra_tags: str = "") -> None:
        self.held.append((level, message, extra_tags))

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0


class SafetyGatedAdmin(SafeAutocomplete, ContentAdmin):
    """Every change made here is tried first, and undone if it makes an emergency or urgent safety case less urgent.

    A save, a revert, a delete or a bulk action runs in a savepoint; the published questionnaire is checked
    against the safety cases before and after it; if a case that was urgent enough no longer is,
    the savepoint is rolled back (so no save signal moves the page cache on) and the editor is told
    which cases, keeping what they typed.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        response, refused = self._gated(
            request, lambda: super(SafetyGatedAdmin, self).changeform_view(request, object_id, form_url, extra_context)
        )
        if not refused:
            return response
        request.safety_refused = refused  # the form refuses to validate: shown again with the editor's data
        return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A revert is a change like any other: tried, and undone if it makes a safety case less urgent."""
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        response, refused = self._gated(
            request,
            lambda: super(SafetyGatedAdmin, self).history_form_view(request, object_id, version_id, extra_context),
        )
        return HttpResponseRedirect(request.get_full_path()) if refused else response

    def delete_view(self, request, object_id, extra_context=None):
        if request.method != "POST":
            return super().delete_view(request, object_id, extra_context)
        response, refused = self._gated(
            request, lambda: super(SafetyGatedAdmin, self).delete_view(request, object_id, extra_context)
        )
        return HttpResponseRedirect(request.get_full_path()) if refused else response

    def response_action(self, request, queryset):
        response, refused = self._gated(
            request, lambda: super(SafetyGatedAdmin, self).response_action(request, queryset)
        )
        return HttpResponseRedirect(request.get_full_path()) if refused else response

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, "safety_refused", None)
        if not refused:
            return form

        class RefusedForm(form):
            def clean(self):
                super().clean()
                raise ValidationError(
                    "This change was not saved: it takes these safety cases outside the levels they must keep: "
                    "%(cases)s.",
                    code="unsafe",
                    params={"cases": _names(refused)},
                )

        return RefusedForm

    def _gated(
        self, request: HttpRequest, change: Callable[[], HttpResponse]
    ) -> tuple[HttpResponse | None, list[safety.CaseResult]]:
        """Make the change, and undo it if it makes a safety case less urgent: (its response, refusing cases)."""
        cases = safety.load_cases()
        before = safety.check(cases, selectors.safety_data(state="saved"))
        real_messages = getattr(request, "_messages", None)
        held = _HeldMessages()
        request._messages = held
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                response = change()
                refused = safety.made_unsafe(before, safety.check(cases, selectors.safety_data(state="saved")))
                if refused:
                    transaction.set_rollback(True)
        finally:
            request._messages = real_messages
        if refused:
            self.message_user(
                request,
                f"Nothing was changed: this would take these safety cases outside the levels they must keep: "
                f"{_names(refused)}. See the safety cases page.",
                messages.ERROR,
            )
            return None, refused
        for message_level, message, extra_tags in held.held:
            messages.add_message(request, message_level, message, extra_tags=extra_tags, fail_silently=True)
        return response, []


@dataclass(frozen=True)
class Change:
    kind: str  # "question", "answer option", ...
    item: str
    action: str  # Added, Changed, Deleted
    by: str
    by_id: int | None
    at: datetime.datetime
    fields: list[tuple[str, str, str]]  # (field, old, new)


def _question_name(record) -> str:
    return record.text


def _option_name(record) -> str:
    return f"{record.question.key if record.question else '(deleted question)'}: {record.label}"


def _weight_name(record) -> str:
    option = record.option.label if record.option else "(deleted answer)"
    cause = record.cause.title if record.cause else "(deleted cause)"
    return f"{option} → {cause}: {record.weight:+d}"


# Each revision's name, from its own row and the rows it points to (joined in the same query).
NAMED = (
    (Question, _question_name, ()),
    (Option, _option_name, ("question",)),
    (OptionWeight, _weight_name, ("option", "cause")),
)


def _changes_since(released: Release | None) -> list[Change]:
    """Every saved change to questions, answers and weights after this release, newest first (2 queries a model)."""
    changes = []
    for model, name, joined in NAMED:
        records = model.history.select_related("history_user", *joined)
        if released is not None:
            records = records.filter(history_date__gt=released.approved_at)
        records = list(records)
        # Each changed revision's previous one, from one query over the same items' whole history.
        earlier = model.history.filter(id__in={r.id for r in records if r.history_type == "~"})
        previous, last = {}, {}
        for revision in earlier.order_by("id", "history_date", "history_id"):
            previous[revision.history_id] = last.get(revision.id)
            last[revision.id] = revision
        for record in records:
            before = previous.get(record.history_id) if record.history_type == "~" else None
            fields = [
                (str(model._meta.get_field(c.field).verbose_name), str(c.old), str(c.new))
                for c in (record.diff_against(before).changes if before is not None else [])
            ]
            if record.history_type == "~" and not fields:
                continue  # saved with nothing changed
            changes.append(
                Change(
                    kind=str(model._meta.verbose_name),
                    item=name(record),
                    action=record.get_history_type_display(),
                    by=str(record.history_user or "no recorded author"),
                    by_id=record.history_user_id,
                    at=record.history_date,
                    fields=fields,
                )
            )
    changes.sort(key=lambda change: change.at, reverse=True)
    return changes


def _names(results: list[safety.CaseResult]) -> str:
    return "; ".join(f"“{r.case.name}” ({r.reason})" for r in results)


class OptionInline(SafeAutocomplete, admin.TabularInline):
    model = Option
    extra = 1
    fields = ["label", "order", "group", "urgency", "advice", "sign"]
    autocomplete_fields = ["sign"]
    show_change_link = True  # weights are edited on the option's own page
    # An answer takes its cause weights with it, so it is deleted on its own page, whose confirmation
    # lists them; a tick box here would delete them unseen.
    can_delete = False


@admin.register(Question)
class QuestionAdmin(SafetyGatedAdmin, PublishableAdmin):
    list_display = ["text", "key", "kind", "red_flag", "order", "asked_if", "published", "state"]
    list_filter = [*PublishableAdmin.list_filter, "red_flag", "kind"]
    search_fields = ["text", "help_text", "key"]
    prepopulated_fields = {"key": ["text"]}
    autocomplete_fields = ["asked_if"]
    list_select_related = ["asked_if__question"]
    inlines = [OptionInline]
    fieldsets = [
        (None, {"fields": ["text", "key", "help_text", "kind", "red_flag", "order", "asked_if"]}),
        REVIEW_FIELDSET,
    ]

    def get_urls(self):
        view = self.admin_site.admin_view(self.safety_cases_view)
        changes = self.admin_site.admin_view(self.changes_view)
        return [
            path("safety-cases/", view, name="questionnaire_question_safety_cases"),
            path("changes/", changes, name="questionnaire_question_changes"),
            *super().get_urls(),
        ]

    def changes_view(self, request: HttpRequest) -> HttpResponse:
        """The questionnaire's changes since its latest release; a reviewer who made none of them may release them.

        A release is refused while the changes make an emergency or urgent safety case less urgent
        than it is for readers now.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        released = Release.objects.first()
        waiting = _changes_since(released)
        cases = safety.load_cases()
        refused = safety.made_unsafe(
            safety.check(cases, selectors.safety_data(state="live")),
            safety.check(cases, selectors.safety_data(state="saved")),
        )
        authors = {change.by_id for change in waiting}
        is_author = request.user.pk in authors
        unknown_author = None in authors  # made outside a signed-in request: re-save it in the admin first
        may_approve = (
            bool(waiting)
            and request.user.has_perm("questionnaire.approve_questionnaire")
            and not is_author
            and not unknown_author
        )
        if request.method == "POST":
            if "_approve" not in request.POST or not may_approve:
                raise PermissionDenied
            if refused:
                self.message_user(
                    request,
                    f"Not released: these changes take these safety cases outside the levels they must keep: "
                    f"{_names(refused)}.",
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.get_full_path())
            Release.objects.create(
                approved_by=request.user,
                reviewed_by=review.public_name(request.user),
                note=f"{len(waiting)} change(s)",
                snapshot=selectors.snapshot(),
            )
            self.message_user(
                request, "You approved the changes. Readers now get this questionnaire.", messages.SUCCESS
            )
            return HttpResponseRedirect(request.get_full_path())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Questionnaire changes waiting for review",
            "release": released,
            "waiting": waiting,
            "refused": refused,
            "is_author": is_author,
            "unknown_author": unknown_author,
            "may_approve": may_approve,
        }
        return TemplateResponse(request, "admin/questionnaire/question/changes.html", context)

    def safety_cases_view(self, request: HttpRequest) -> TemplateResponse:
        """Each safety case against the questionnaire readers get, as saved, and with every draft published."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        cases = safety.load_cases()
        states = [safety.check(cases, selectors.safety_data(state=state)) for state in ("live", "saved", "drafts")]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Questionnaire safety cases",
            "rows": [
                {
                    "case": case,
                    "expected": level(case.at_least).label,
                    "ceiling": level(case.at_most).label if case.has_ceiling else "",
                    "top3": results[0].expected_titles,  # the causes by title, found by any slug they have had
                    "results": [(result, level(result.level).label if result.level else "") for result in results],
                }
                for case, *results in zip(cases, *states, strict=True)
            ],
            "failing": [sum(not r.passed for r in results) for results in states],
        }
        return TemplateResponse(request, "admin/questionnaire/question/safety_cases.html", context)


class OptionWeightInline(SafeAutocomplete, admin.TabularInline):
    model = OptionWeight
    extra = 1
    autocomplete_fields = ["cause"]
    verbose_name = "cause this answer points to"
    verbose_name_plural = "causes this answer points to (weight -3 to 3)"


@admin.register(Option)
class OptionAdmin(SafetyGatedAdmin):
    list_display = ["label", "question", "group", "urgency", "sign", "order"]
    list_filter = ["question__red_flag", "urgency", "question"]
    list_select_related = ["question", "sign"]
    search_fields = ["label", "advice", "question__text"]
    autocomplete_fields = ["question", "sign"]
    inlines = [OptionWeightInline]
