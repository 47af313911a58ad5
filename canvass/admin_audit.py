"""The audit trail in the Django admin: read-only, for admins, so nobody edits who saw what."""

from django.contrib import admin

from canvass.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what was done (audit events, zone openings, objections, erasures): never added, edited or deleted
    by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "resource", "count", "request_id"]
    list_filter = ["action", "resource", "at"]
    search_fields = ["user__username", "request_id"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    readonly_fields = ["at", "user", "action", "resource", "count", "object_ids", "request_id"]
