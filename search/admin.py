from django.contrib import admin

from causes.preview import PreviewMixin
from editorial.admin import PublishableAdmin

from .models import Synonym


@admin.register(Synonym)
class SynonymAdmin(PreviewMixin, PublishableAdmin):
    change_form_template = "admin/reading_check_form.html"
    list_display = ["phrase", "means", "state"]
    search_fields = ["phrase", "means"]
    fieldsets = [(None, {"fields": ["phrase", "means"]}), ("Publishing", {"fields": ["status", "publish_at"]})]
