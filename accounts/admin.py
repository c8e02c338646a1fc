"""Each staff member's own e-mail setting: everyone with admin access sees and changes only their own."""

from django.contrib import admin

from .models import EmailChoice


@admin.register(EmailChoice)
class EmailChoiceAdmin(admin.ModelAdmin):
    fields = ["send_emails"]

    def _own(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff and (obj is None or obj.user_id == request.user.pk)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user_id=request.user.pk)

    def has_module_permission(self, request) -> bool:
        return self._own(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._own(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._own(request, obj)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        """The list holds one setting, the person's own (made the first time they look, with e-mails on)."""
        EmailChoice.objects.get_or_create(user=request.user)
        return super().changelist_view(request, extra_context)
