from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.text import Truncator

from editorial.admin import SiteModelAdmin

from .models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(SiteModelAdmin):
    """What readers said, newest first. Readers write it; editors only mark it handled."""

    change_list_template = "admin/feedback/feedback/change_list.html"
    list_display = ["page", "helpful", "short_comment", "created", "handled"]
    list_filter = ["helpful", "handled", "page"]
    search_fields = ["page", "comment"]
    ordering = ["-created", "-id"]
    fields = ["page", "helpful", "comment", "created", "handled"]
    readonly_fields = ["page", "helpful", "comment", "created"]
    actions = ["mark_handled"]

    @admin.display(description="what was missing")
    def short_comment(self, obj: Feedback) -> str:
        return Truncator(obj.comment).chars(80)  # plain text: the admin escapes it

    @admin.action(description="Mark handled")
    def mark_handled(self, request, queryset) -> None:
        count = queryset.update(handled=True)
        self.message_user(request, f"{count} marked handled.", messages.SUCCESS)

    def has_add_permission(self, request) -> bool:
        return False  # only readers send feedback

    def changelist_view(self, request, extra_context=None):
        counts = (
            Feedback.objects.values("page")
            .annotate(yes=Count("id", filter=Q(helpful=True)), no=Count("id", filter=Q(helpful=False)))
            .order_by("page")
        )
        return super().changelist_view(request, {**(extra_context or {}), "page_counts": counts})
