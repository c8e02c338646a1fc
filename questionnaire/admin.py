from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path

from causes.preview import PreviewMixin
from causes.urgency import level
from editorial.admin import REVIEW_FIELDSET, ContentAdmin, PublishableAdmin

from . import releases, safety, selectors
from .forms import SampleAnswersForm
from .models import Option, OptionWeight, Question

NAMES = ("Live now", "After the release")  # the two columns of the release preview


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
    """Every change made here is tried first, and undone if it takes a safety case outside the levels it must keep.

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
        """A revert is a change like any other: tried, and undone if it breaks a safety case."""
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
                    params={"cases": releases.names(refused)},
                )

        return RefusedForm

    def _gated(
        self, request: HttpRequest, change: Callable[[], HttpResponse]
    ) -> tuple[HttpResponse | None, list[safety.CaseResult]]:
        """Make the change, and undo it if it breaks a safety case: (its response, refusing cases)."""
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
                f"{releases.names(refused)}. See the safety cases page.",
                messages.ERROR,
            )
            return None, refused
        for message_level, message, extra_tags in held.held:
            messages.add_message(request, message_level, message, extra_tags=extra_tags, fail_silently=True)
        return response, []


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
class QuestionAdmin(PreviewMixin, SafetyGatedAdmin, PublishableAdmin):
    change_form_template = "admin/reading_check_form.html"
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
        preview = self.admin_site.admin_view(self.release_preview_view)
        return [
            path("changes/preview/", preview, name="questionnaire_question_release_preview"),
            path("safety-cases/", view, name="questionnaire_question_safety_cases"),
            path("changes/", changes, name="questionnaire_question_changes"),
            *super().get_urls(),
        ]

    def changes_view(self, request: HttpRequest) -> HttpResponse:
        """The questionnaire's changes since its latest release; a reviewer who made none of them may release them.

        A release is refused while the changes take a safety case outside the levels it must keep
        than it is for readers now.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        released = releases.latest()
        waiting = releases.changes_since(released)
        refused = releases.made_unsafe()
        is_author, unknown_author = releases.authorship(request.user, waiting)
        may_approve = not releases.refuse_release(request.user, waiting)  # shows the button; `release` decides
        if request.method == "POST":
            if "_approve" not in request.POST or not may_approve:
                raise PermissionDenied
            try:
                releases.release(request.user)
            except PermissionDenied as why:
                self.message_user(request, str(why), messages.ERROR)
            else:
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
            "unknown_author": unknown_author,  # made outside a signed-in request: re-save it in the admin first
            "may_approve": may_approve,
        }
        return TemplateResponse(request, "admin/questionnaire/question/changes.html", context)

    def release_preview_view(self, request: HttpRequest) -> TemplateResponse:
        """The questionnaire as the next release would make it: the safety cases, and sample answers tried on it
        beside the live release. The answers come in a POST and go out in this page only (never cached:
        `admin_view` sends no-store)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        live, saved = selectors.load("live"), selectors.load("saved")
        form = SampleAnswersForm(request.POST if request.method == "POST" else None, questions=saved.questions)
        tried = releases.try_answers(set(form.cleaned_data["answers"]), live, saved) if form.is_valid() else None
        cases = releases.preview_cases(live, saved)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Preview the questionnaire with its waiting changes",
            "release": releases.latest(),
            "waiting": len(releases.waiting()),
            "cases": [
                {**_bounds(now), "now": now, "after": after, "label": level(after.level).label if after.level else ""}
                for now, after in cases
            ],
            "failing": sum(not after.passed for _, after in cases),
            "refused": safety.made_unsafe([now for now, _ in cases], [after for _, after in cases]),
            "form": form,
            "tried": [(name, result, level(result.level).label) for name, result in zip(NAMES, tried, strict=True)]
            if tried
            else None,
        }
        return TemplateResponse(request, "admin/questionnaire/question/release_preview.html", context)

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
                    **_bounds(results[0]),
                    "results": [(result, level(result.level).label if result.level else "") for result in results],
                }
                for results in zip(*states, strict=True)
            ],
            "failing": [sum(not r.passed for r in results) for results in states],
        }
        return TemplateResponse(request, "admin/questionnaire/question/safety_cases.html", context)


def _bounds(result: safety.CaseResult) -> dict:
    """A safety case and what it expects, for the admin's tables: its floor, its ceiling and its top 3."""
    case = result.case
    return {
        "case": case,
        "expected": level(case.at_least).label,
        "ceiling": level(case.at_most).label if case.has_ceiling else "",
        "top3": result.expected_titles,  # the causes by title, found by any slug they have had
    }


class OptionWeightInline(SafeAutocomplete, admin.TabularInline):
    model = OptionWeight
    extra = 1
    autocomplete_fields = ["cause"]
    verbose_name = "cause this answer points to"
    verbose_name_plural = "causes this answer points to (weight -3 to 3)"


@admin.register(Option)
class OptionAdmin(PreviewMixin, SafetyGatedAdmin):
    change_form_template = "admin/reading_check_form.html"
    list_display = ["label", "question", "group", "urgency", "sign", "order"]
    list_filter = ["question__red_flag", "urgency", "question"]
    list_select_related = ["question", "sign"]
    search_fields = ["label", "advice", "question__text"]
    autocomplete_fields = ["question", "sign"]
    inlines = [OptionWeightInline]
