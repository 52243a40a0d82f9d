from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Readable by staff with the view permission, changeable by nobody, superusers
    included: the log is evidence."""

    list_display = ["at", "actor_name", "action", "object_repr", "content_type", "message"]
    list_filter = ["action", "content_type"]
    list_select_related = ["content_type"]
    search_fields = ["object_repr", "actor_name", "message"]
    date_hierarchy = "at"
    show_full_result_count = False
    fields = [
        "at",
        "actor",
        "actor_name",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "message",
        "data",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
