"""Read-only admin of the audit log and the event outbox."""

from django.contrib import admin

from .models import AuditEntry, DomainEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: visible to the district admin, changed by nobody."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id")
    list_select_related = ("actor",)
    list_filter = ("action", "object_type")
    search_fields = ("action", "object_type", "object_id", "actor__email")
    date_hierarchy = "at"


@admin.register(DomainEvent)
class DomainEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "type", "chamber", "event_id")
    list_select_related = ("chamber",)
    list_filter = ("type", "chamber")
    search_fields = ("event_id", "type")
    date_hierarchy = "created_at"
