from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse

from editorial import notifications, review
from editorial.admin import REVIEW_FIELDSET, PublishableAdmin, PublishableForm, SiteModelAdmin

from . import selectors, sign_audit, signs, urgency
from .models import (
    NOT_A_PAGE,
    Cause,
    Faq,
    MovedPage,
    Remedy,
    SitePage,
    Source,
    UrgencyWording,
    WarningSign,
)
from .preview import Banner, PreviewMixin


class CauseSignInline(admin.TabularInline):
    """The signs a cause's page shows. An editor may add one; changing or removing one is a clinical reviewer's."""

    model = WarningSign.causes.through
    extra = 0
    autocomplete_fields = ["warningsign"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """The column is headed "Sign", not the link table's field name."""
        return super().formfield_for_foreignkey(db_field, request, label="Sign", **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("warningsign")  # each row is named by its sign

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and signs.may_unlink_signs(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and signs.may_unlink_signs(request.user)

    verbose_name = "warning sign on this page"
    verbose_name_plural = "warning signs on this page (shown in one box per level; edit a sign on its own page)"


@admin.register(Cause)
class CauseAdmin(PreviewMixin, PublishableAdmin):
    list_display = ["title", "category", "urgency", "published", "state", "last_reviewed", "next_review_due"]
    list_filter = [*PublishableAdmin.list_filter, "category", "urgency"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["remedies", "sources", "related"]
    inlines = [CauseSignInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "summary", "body"]}),
        ("Advice", {"fields": ["self_care", "urgency", "remedies", "related"]}),
        ("Sources", {"fields": ["sources"]}),
        REVIEW_FIELDSET,
    ]

    def withdrawal_notice(self, item) -> str:
        """The questionnaire answers that still point at a cause just taken off the site."""
        return selectors.withdrawal_notice(item)

    def get_form(self, request, obj=None, change=False, **kwargs):
        """A cause is never offered as related to itself."""
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and "related" in form.base_fields:
            form.base_fields["related"].queryset = form.base_fields["related"].queryset.exclude(pk=obj.pk)
        return form


class CauseRemedyInline(admin.TabularInline):
    model = Cause.remedies.through
    extra = 0
    autocomplete_fields = ["cause"]
    verbose_name = "cause this remedy helps with"
    verbose_name_plural = "causes this remedy helps with"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cause")  # each row is named by its cause


@admin.register(Remedy)
class RemedyAdmin(PreviewMixin, PublishableAdmin):
    list_display = ["title", "published", "state", "last_reviewed", "next_review_due"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["sources"]
    inlines = [CauseRemedyInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "caution"]}),
        ("Sources", {"fields": ["sources"]}),
        REVIEW_FIELDSET,
    ]


@admin.register(Faq)
class FaqAdmin(PreviewMixin, PublishableAdmin):
    list_display = ["question", "order", "published", "state", "next_review_due"]
    list_editable = ["order"]
    search_fields = ["question", "answer"]
    prepopulated_fields = {"slug": ["question"]}
    filter_horizontal = ["causes", "sources"]
    fieldsets = [
        (None, {"fields": ["question", "slug", "answer", "order", "causes"]}),
        ("Sources", {"fields": ["sources"]}),
        REVIEW_FIELDSET,
    ]


@admin.register(Source)
class SourceAdmin(PublishableAdmin):
    """Only a live source is cited; a change to a live one's title, publisher, address or evidence waits for review."""

    list_display = ["title", "publisher", "evidence", "url", "accessed", "state"]
    list_filter = [*PublishableAdmin.list_filter, "evidence", "publisher"]
    search_fields = ["title", "publisher", "url"]
    fieldsets = [(None, {"fields": ["title", "publisher", "url", "accessed", "evidence"]}), REVIEW_FIELDSET]


class WarningSignForm(PublishableForm):
    def clean(self):
        cleaned = super().clean()
        if self.request is not None:
            general = cleaned.get("general") if "general" in self.fields else None
            causes = cleaned.get("causes") if "causes" in self.fields else None
            if refusal := signs.refuse_sign_changes(self.instance, self.request.user, causes, general):
                raise ValidationError(refusal.form, code=refusal.code)
        return cleaned


@admin.register(WarningSign)
class WarningSignAdmin(PreviewMixin, PublishableAdmin):
    """The register: a new sign is a draft until a reviewer publishes it; a change to a live one waits for review."""

    form = WarningSignForm

    list_display = ["text", "level", "level_read", "general", "order", "published", "state"]
    list_filter = [*PublishableAdmin.list_filter, "level", "general", "causes"]
    search_fields = ["text", "key"]
    filter_horizontal = ["causes", "sources"]
    prepopulated_fields = {"key": ["text"]}
    readonly_fields = [*PublishableAdmin.readonly_fields, "how_the_level_was_checked"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "text",
                    "key",
                    "level",
                    "how_the_level_was_checked",
                    "action",
                    "general",
                    "causes",
                    "sources",
                    "order",
                ]
            },
        ),
        REVIEW_FIELDSET,
    ]
    AUDIT_SHOWN = 5

    @admin.display(boolean=True, description="Level read on the publisher's page")
    def level_read(self, sign: WarningSign) -> bool:
        return sign_audit.shipped_checks().get(sign.key) == ""

    @admin.display(description="How the level was checked")
    def how_the_level_was_checked(self, sign: WarningSign) -> str:
        rests_on = sign_audit.shipped_checks().get(sign.key) if sign.pk else None
        if rests_on is None:
            return "Not in the audit record yet: a clinical reviewer must read its page (causes/seed/sign_audit.toml)."
        if not rests_on:
            return "Read on the publisher's own page, or a copy the publisher syndicates."
        return f"Unverified: no publisher's text read here backs this level. {rests_on}"

    def changelist_view(self, request, extra_context=None):
        """The register's list warns, in words, wherever it no longer agrees with its audit record."""
        if request.method == "GET":
            found = selectors.sign_audit_problems()
            if found:
                more = f" And {len(found) - self.AUDIT_SHOWN} more." if len(found) > self.AUDIT_SHOWN else ""
                self.message_user(
                    request,
                    "The register no longer matches its audit record (causes/seed/sign_audit.toml): "
                    + "; ".join(found[: self.AUDIT_SHOWN])
                    + "."
                    + more
                    + " Ask a developer to update the record after a clinical reviewer has read the page.",
                    messages.WARNING,
                )
        return super().changelist_view(request, extra_context)


@admin.register(SitePage)
class SitePageAdmin(PreviewMixin, PublishableAdmin):
    """The site's own pages. Home, about, privacy and the results page's tips are found by their slug."""

    list_display = ["title", "slug", "published", "state", "last_reviewed", "next_review_due"]
    search_fields = ["title", "summary", "lead", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [(None, {"fields": ["title", "slug", "summary", "lead", "body"]}), REVIEW_FIELDSET]


@admin.register(UrgencyWording)
class UrgencyWordingAdmin(PreviewMixin, PublishableAdmin):
    """What readers are told at each urgency level. Without a live row, a level keeps the words in the code."""

    list_display = ["__str__", "heading", "card_heading", "published", "state", "next_review_due"]
    list_filter = [*PublishableAdmin.list_filter, "level"]
    search_fields = ["heading", "card_heading", "advice", "where", "title_prefix", "insist"]
    fieldsets = [
        (None, {"fields": ["level", "heading", "card_heading", "advice", "where", "title_prefix", "insist"]}),
        REVIEW_FIELDSET,
    ]

    def get_readonly_fields(self, request, obj=None):
        """A row's level is fixed once made: moving approved words to another level would skip review."""
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "level"] if obj is not None else fields

    def get_urls(self):
        view = self.admin_site.admin_view(self.box_preview_view)
        return [path("<path:object_id>/preview/", view, name="causes_urgencywording_preview"), *super().get_urls()]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["preview_url"] = self.preview_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def preview_url(self, obj, revision=None) -> str:
        """The row's box as readers would see it; with a waiting change, as that change would make it."""
        url = reverse("admin:causes_urgencywording_preview", args=[quote(obj.pk)], current_app=self.admin_site.name)
        return f"{url}?change={revision.pk}" if revision is not None else url

    def box_preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The level's box as readers see it on a page, with this row's words, or with its waiting change (?change=)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        revision = self._waiting_change(request, obj)
        words = {name: str(getattr(obj, name)) for name in urgency.WORDS}
        if revision is not None:
            words |= {name: str(value) for name, value in review.proposed(obj, revision).items() if name in words}
        edit_url = reverse("admin:causes_urgencywording_change", args=[quote(obj.pk)])
        context = {
            "page_template": "causes/box_preview.html",
            "cards": [selectors.wording_card(obj.level, words)],
            "preview": Banner(
                published=obj.is_live,
                noun="box",
                edit_url=edit_url,
                change_by=notifications.name(revision.author) if revision is not None else "",
                live_url=self.preview_url(obj) if revision is not None else "",
            ),
        }
        response = TemplateResponse(request, "causes/preview.html", context)
        response["X-Robots-Tag"] = "noindex"
        return response


class MovedPageForm(forms.ModelForm):
    class Meta:
        model = MovedPage
        fields = ["old_path", "content_type", "object_id"]
        error_messages = {"content_type": {"invalid_choice": NOT_A_PAGE}}  # a crafted choice: say what is allowed


@admin.register(MovedPage)
class MovedPageAdmin(SiteModelAdmin):
    """Made by the site when a slug changes; delete one to free its old address."""

    form = MovedPageForm
    list_display = ["old_path", "item", "created"]
    search_fields = ["old_path"]
    readonly_fields = ["created"]
    fields = ["old_path", "content_type", "object_id", "created"]
