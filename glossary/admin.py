from django.contrib import admin

from causes.preview import PreviewMixin
from editorial.admin import REVIEW_FIELDSET, PublishableAdmin

from .models import GlossaryTerm


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(PreviewMixin, PublishableAdmin):
    change_form_template = "admin/reading_check_form.html"
    list_display = ["term", "also", "meaning", "state"]
    search_fields = ["term", "also", "meaning"]
    prepopulated_fields = {"slug": ["term"]}
    fieldsets = [(None, {"fields": ["term", "slug", "also", "meaning"]}), REVIEW_FIELDSET]
