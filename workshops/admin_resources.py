"""Admin for telemetry, consumables, loans and briefings (imported by workshops/admin.py).
Readings are shown, never edited: they are what the machine said."""

from django.contrib import admin

from .models import (
    Consumable,
    ConsumableStock,
    EquipmentTelemetry,
    LoadedConsumable,
    Loan,
    SafetyBriefing,
    StockMovement,
    TelemetryReading,
    TelemetryRejection,
)


@admin.register(TelemetryReading)
class TelemetryReadingAdmin(admin.ModelAdmin):
    list_display = ("equipment", "kind", "state", "recorded_at", "operating_hours", "energy_kwh")
    list_select_related = ("equipment",)
    list_filter = ("kind", "state", "source")
    search_fields = ("equipment__inventory_number",)
    date_hierarchy = "recorded_at"
    show_full_result_count = False  # millions of rows: no COUNT(*) per page

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(EquipmentTelemetry)
class EquipmentTelemetryAdmin(admin.ModelAdmin):
    list_display = ("equipment", "state", "state_since", "error_since", "last_seen_at", "messages")
    list_select_related = ("equipment",)
    list_filter = ("state",)
    search_fields = ("equipment__inventory_number",)


@admin.register(TelemetryRejection)
class TelemetryRejectionAdmin(admin.ModelAdmin):
    list_display = ("reason", "key", "count", "last_seen_at", "last_topic", "last_error")
    list_filter = ("reason",)
    search_fields = ("key", "last_topic")


@admin.register(Consumable)
class ConsumableAdmin(admin.ModelAdmin):
    list_display = ("name", "material", "colour", "unit", "school")
    list_select_related = ("school",)
    list_filter = ("material", "unit")
    search_fields = ("name", "material", "colour")


@admin.register(ConsumableStock)
class ConsumableStockAdmin(admin.ModelAdmin):
    list_display = ("consumable", "workshop", "quantity", "minimum", "alerted_at")
    list_select_related = ("consumable", "workshop")
    readonly_fields = ("quantity",)  # changes only through movements (the pages)


@admin.register(StockMovement)
class StockMovementAdmin(admin.ModelAdmin):
    list_display = ("stock", "kind", "quantity", "at", "by")
    list_select_related = ("stock__consumable", "stock__workshop", "by")
    list_filter = ("kind",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin):
    list_display = ("equipment", "borrower", "start", "expected_return", "returned_at")
    list_select_related = ("equipment", "borrower")
    list_filter = ("returned_at",)
    search_fields = ("equipment__inventory_number", "borrower__email")
    raw_id_fields = ("equipment", "borrower", "lent_by", "reservation")


@admin.register(SafetyBriefing)
class SafetyBriefingAdmin(admin.ModelAdmin):
    list_display = ("person", "equipment_type", "given_on", "valid_until", "given_by")
    list_select_related = ("person", "equipment_type", "given_by")
    list_filter = ("equipment_type",)
    search_fields = ("person__email", "person__last_name")
    raw_id_fields = ("person", "given_by")


@admin.register(LoadedConsumable)
class LoadedConsumableAdmin(admin.ModelAdmin):
    """The spool on a machine: set on the equipment page through the consumables service."""

    list_display = ("equipment", "stock", "updated_at")
    list_select_related = ("equipment", "stock__consumable")
    search_fields = ("equipment__inventory_number",)
    readonly_fields = ("equipment", "stock")

    def has_add_permission(self, request):
        return False
