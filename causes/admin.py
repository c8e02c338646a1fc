import datetime

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.utils import timezone

from .cache import content_changed
from .models import Cause, Faq, Remedy, Source, Status, WarningSign


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


class SiteModelAdmin(admin.ModelAdmin):
    """Base for every admin here: hostile bulk-action selections get a message, not a 500."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def response_action(self, request, queryset):
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                self.model._meta.pk.to_python(value)
        except ValidationError:
            self.message_user(request, "Some selected items were not recognised. Nothing was changed.", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)


class PublishableAdmin(SiteModelAdmin):
    """Shared list columns, filters and bulk actions for everything with a status."""

    list_filter = ["status", ReviewDueFilter]
    readonly_fields = ["created", "updated"]
    actions = ["publish", "unpublish"]
    save_on_top = True

    @admin.display(boolean=True, description="published", ordering="status")
    def published(self, obj) -> bool:
        return obj.is_published

    @admin.action(description="Publish the selected items")
    def publish(self, request, queryset):
        changed = self._set_status(request, queryset, Status.PUBLISHED)
        self.message_user(request, f"{changed} item(s) published.", messages.SUCCESS)

    @admin.action(description="Unpublish the selected items (back to draft)")
    def unpublish(self, request, queryset):
        changed = self._set_status(request, queryset, Status.DRAFT)
        self.message_user(request, f"{changed} item(s) moved back to draft.", messages.SUCCESS)

    def _set_status(self, request, queryset, status: str) -> int:
        """Change the status in one query, and record each change in the item's history."""
        items = list(queryset.exclude(status=status))
        queryset.model.objects.filter(pk__in=[item.pk for item in items]).update(status=status)
        content_changed()  # update() sends no save signal: tell the page cache here
        for item in items:
            self.log_change(request, item, f"Status set to {Status(status).label} with a bulk action.")
        return len(items)


REVIEW_FIELDSET = (
    "Publishing and review",
    {"fields": ["status", "last_reviewed", "next_review_due", "created", "updated"]},
)


class CauseSignInline(admin.TabularInline):
    model = WarningSign.causes.through
    extra = 0
    autocomplete_fields = ["warningsign"]
    verbose_name = "warning sign on this page"
    verbose_name_plural = "warning signs on this page (shown in one box per level; edit a sign on its own page)"


@admin.register(Cause)
class CauseAdmin(PublishableAdmin):
    list_display = ["title", "category", "urgency", "published", "last_reviewed", "next_review_due"]
    list_filter = [*PublishableAdmin.list_filter, "category", "urgency"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["remedies", "sources"]
    inlines = [CauseSignInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "summary", "body"]}),
        ("Advice", {"fields": ["self_care", "urgency", "remedies"]}),
        ("Sources", {"fields": ["sources"]}),
        REVIEW_FIELDSET,
    ]


class CauseRemedyInline(admin.TabularInline):
    model = Cause.remedies.through
    extra = 0
    autocomplete_fields = ["cause"]
    verbose_name = "cause this remedy helps with"
    verbose_name_plural = "causes this remedy helps with"


@admin.register(Remedy)
class RemedyAdmin(PublishableAdmin):
    list_display = ["title", "published", "last_reviewed", "next_review_due"]
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
class FaqAdmin(PublishableAdmin):
    list_display = ["question", "order", "published", "next_review_due"]
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
class SourceAdmin(SiteModelAdmin):
    list_display = ["title", "publisher", "evidence", "url", "accessed"]
    list_filter = ["evidence", "publisher"]
    search_fields = ["title", "publisher", "url"]


@admin.register(WarningSign)
class WarningSignAdmin(SiteModelAdmin):
    list_display = ["text", "level", "general", "order"]
    list_filter = ["level", "general", "causes"]
    search_fields = ["text", "key"]
    filter_horizontal = ["causes", "sources"]
    prepopulated_fields = {"key": ["text"]}
    fields = ["text", "key", "level", "general", "causes", "sources", "order"]
