from django.contrib import admin

from editorial.admin import PublishableAdmin

from .models import Synonym


@admin.register(Synonym)
class SynonymAdmin(PublishableAdmin):
    list_display = ["phrase", "means", "state"]
    search_fields = ["phrase", "means"]
    fieldsets = [(None, {"fields": ["phrase", "means"]}), ("Publishing", {"fields": ["status", "publish_at"]})]
