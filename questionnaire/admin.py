from django.contrib import admin

from causes.admin import REVIEW_FIELDSET, PublishableAdmin, SiteModelAdmin

from .models import Option, OptionWeight, Question


class OptionInline(admin.TabularInline):
    model = Option
    extra = 1
    fields = ["label", "order", "group", "urgency", "advice", "sign"]
    autocomplete_fields = ["sign"]
    show_change_link = True  # weights are edited on the option's own page


@admin.register(Question)
class QuestionAdmin(PublishableAdmin):
    list_display = ["text", "key", "kind", "red_flag", "order", "published"]
    list_filter = [*PublishableAdmin.list_filter, "red_flag", "kind"]
    search_fields = ["text", "help_text", "key"]
    prepopulated_fields = {"key": ["text"]}
    inlines = [OptionInline]
    fieldsets = [
        (None, {"fields": ["text", "key", "help_text", "kind", "red_flag", "order"]}),
        REVIEW_FIELDSET,
    ]


class OptionWeightInline(admin.TabularInline):
    model = OptionWeight
    extra = 1
    autocomplete_fields = ["cause"]
    verbose_name = "cause this answer points to"
    verbose_name_plural = "causes this answer points to (weight -3 to 3)"


@admin.register(Option)
class OptionAdmin(SiteModelAdmin):
    list_display = ["label", "question", "group", "urgency", "sign", "order"]
    list_filter = ["question__red_flag", "urgency", "question"]
    list_select_related = ["question", "sign"]
    search_fields = ["label", "advice", "question__text"]
    autocomplete_fields = ["question", "sign"]
    inlines = [OptionWeightInline]
