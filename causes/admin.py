import calendar
import copy
import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import NestedObjects, quote
from django.core.exceptions import ValidationError
from django.db import models, router
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst

from .cache import content_changed
from .models import Cause, Faq, MovedPage, Remedy, Source, Status, WarningSign


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
    """Base for every admin here: hostile bulk selections get a message, not a 500; a delete names all it touches."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

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


def _pointed_to(obj: models.Model) -> list[models.Model]:
    """The items a row's foreign keys point to, in field order."""
    return [getattr(obj, field.name) for field in obj._meta.fields if field.many_to_one and getattr(obj, field.attname)]


def _months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has no such day (31 Jan -> 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class PublishableForm(forms.ModelForm):
    """Publishing is refused while the item is incomplete, with exactly what it lacks; drafts may be."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Status.PUBLISHED:
            item = copy.copy(self.instance)
            for name in item.REQUIRED_TO_PUBLISH:
                if name in self.fields:
                    setattr(item, name, cleaned.get(name))
            missing = item.missing_to_publish(_source_count(item, cleaned.get("sources")))
            if missing:
                raise ValidationError(
                    "This cannot be published yet. It still needs: %(missing)s. Save it as a draft for now.",
                    code="incomplete",
                    params={"missing": ", ".join(missing)},
                )
        return cleaned


def _source_count(item, sources=None) -> int:
    if not item.NEEDS_A_SOURCE:
        return 0
    if sources is not None:
        return len(sources)
    return item.sources.count() if item.pk else 0


class PublishableAdmin(SiteModelAdmin):
    """Shared list columns, filters and bulk actions for everything with a status."""

    form = PublishableForm
    list_filter = ["status", ReviewDueFilter]
    readonly_fields = ["created", "updated"]
    actions = ["publish", "unpublish", "mark_reviewed_today"]
    save_on_top = True

    @admin.display(boolean=True, description="published", ordering="status")
    def published(self, obj) -> bool:
        return obj.is_published

    @admin.action(description="Publish the selected items")
    def publish(self, request, queryset):
        incomplete = {item: missing for item in queryset if (missing := item.missing_to_publish(_source_count(item)))}
        changed = self._set_status(request, queryset.exclude(pk__in=[item.pk for item in incomplete]), Status.PUBLISHED)
        self.message_user(request, f"{changed} item(s) published.", messages.SUCCESS)
        for item, missing in incomplete.items():
            self.message_user(
                request, f"“{item}” was not published: it still needs {', '.join(missing)}.", messages.ERROR
            )

    @admin.action(description="Mark the selected items reviewed today")
    def mark_reviewed_today(self, request, queryset):
        today = timezone.localdate()
        due = _months_later(today, settings.REVIEW_PERIOD_MONTHS)
        items = list(queryset)
        queryset.model.objects.filter(pk__in=[item.pk for item in items]).update(
            last_reviewed=today, next_review_due=due
        )
        content_changed()  # update() sends no save signal: tell the page cache here
        for item in items:
            self.log_change(request, item, f"Marked reviewed on {today:%d %B %Y}; next review due {due:%d %B %Y}.")
        self.message_user(request, f"{len(items)} item(s) marked reviewed today; next review {due:%d %B %Y}.")

    def save_model(self, request, obj, form, change):
        """A new address keeps the old one working: it redirects, permanently, to wherever the item is now."""
        old_slug = form.initial.get("slug") if change else None
        super().save_model(request, obj, form, change)
        if old_slug and getattr(obj, "slug", old_slug) != old_slug:
            old_path = type(obj)(slug=old_slug).get_absolute_url()
            if "#" in old_path:
                return  # a place on a shared page (an FAQ), not a page of its own
            MovedPage.objects.update_or_create(old_path=old_path, defaults={"item": obj})
            MovedPage.objects.filter(old_path=obj.get_absolute_url()).delete()  # an address taken back

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
    {"fields": ["status", "publish_at", "last_reviewed", "next_review_due", "created", "updated"]},
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


@admin.register(MovedPage)
class MovedPageAdmin(SiteModelAdmin):
    """Made by the site when a slug changes; delete one to free its old address."""

    list_display = ["old_path", "item", "created"]
    search_fields = ["old_path"]
    readonly_fields = ["created"]
    fields = ["old_path", "content_type", "object_id", "created"]
