"""Admin for rooms, equipment, maintenance and reservations. Lists join what their rows show."""

from django.contrib import admin

from .models import (
    Equipment,
    EquipmentReservation,
    EquipmentType,
    MaintenanceNotice,
    MaintenanceRecord,
    MaintenanceSchedule,
    Workshop,
)


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "room", "seats", "is_active")
    list_select_related = ("school",)
    list_filter = ("is_active", "school")
    search_fields = ("name", "room", "school__name")
    autocomplete_fields = ("school",)


@admin.register(EquipmentType)
class EquipmentTypeAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "slug",
        "participants_per_unit",
        "maintenance_interval_days",
        "maintenance_interval_hours",
    )
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class MaintenanceRecordInline(admin.TabularInline):
    model = MaintenanceRecord
    extra = 0
    fields = ("kind", "performed_on", "performed_by_name", "operating_hours_at", "cost", "notes")


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    list_display = (
        "inventory_number",
        "name",
        "type",
        "school",
        "workshop",
        "status",
        "operating_hours",
    )
    list_select_related = ("type", "school", "workshop")
    list_filter = ("status", "type", "school")
    search_fields = ("inventory_number", "serial_number", "name", "manufacturer", "model")
    autocomplete_fields = ("school", "workshop", "type")
    inlines = (MaintenanceRecordInline,)


@admin.register(MaintenanceSchedule)
class MaintenanceScheduleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "school", "kind", "interval_days", "interval_hours")
    list_select_related = ("school", "equipment__type", "equipment_type")
    list_filter = ("school", "kind")
    autocomplete_fields = ("school", "equipment", "equipment_type")


@admin.register(MaintenanceRecord)
class MaintenanceRecordAdmin(admin.ModelAdmin):
    list_display = ("equipment", "kind", "performed_on", "performed_by_name", "cost")
    list_select_related = ("equipment__type",)
    list_filter = ("kind", "equipment__school")
    search_fields = ("equipment__inventory_number", "performed_by_name", "notes")
    date_hierarchy = "performed_on"
    autocomplete_fields = ("equipment", "performed_by")


@admin.register(EquipmentReservation)
class EquipmentReservationAdmin(admin.ModelAdmin):
    list_display = ("equipment", "start", "end", "kind", "purpose", "is_active")
    list_select_related = ("equipment__type",)
    list_filter = ("kind", "is_active", "equipment__school")
    search_fields = ("equipment__inventory_number", "purpose")
    date_hierarchy = "start"
    autocomplete_fields = ("equipment", "reserved_by")


@admin.register(MaintenanceNotice)
class MaintenanceNoticeAdmin(admin.ModelAdmin):
    list_display = ("equipment", "kind", "due_on", "sent_at")
    list_select_related = ("equipment__type",)
    list_filter = ("kind",)
    search_fields = ("equipment__inventory_number",)
    autocomplete_fields = ("equipment",)


from . import admin_resources  # noqa: E402,F401 - telemetry, consumables, loans, briefings
