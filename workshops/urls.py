"""Equipment pages, mounted at /staff/equipment/ by config/urls.py."""

from django.urls import path

from .views import (
    equipment,
    labels,
    maintenance,
    reservations,
    resources,
    telemetry,
    utilisation,
)

app_name = "workshops"

urlpatterns = [
    path("", equipment.equipment_list, name="equipment_list"),
    path("new/", equipment.equipment_create, name="equipment_create"),
    path("labels.pdf", labels.labels_pdf, name="labels_pdf"),
    path("maintenance/", maintenance.maintenance_due, name="maintenance_due"),
    path("utilisation/", utilisation.utilisation_view, name="utilisation"),
    path("telemetry/", telemetry.telemetry_overview, name="telemetry"),
    path("loans/", resources.loan_list, name="loans"),
    path("loans/<int:pk>/return/", resources.loan_return, name="loan_return"),
    path("consumables/", resources.consumable_list, name="consumables"),
    path("briefings/", resources.briefing_list, name="briefings"),
    path("<int:pk>/", equipment.equipment_detail, name="equipment_detail"),
    path("<int:pk>/edit/", equipment.equipment_edit, name="equipment_edit"),
    path("<int:pk>/status/", equipment.equipment_status, name="equipment_status"),
    path("<int:pk>/consumable/", resources.equipment_consumable, name="equipment_consumable"),
    path("<int:pk>/defect/", equipment.equipment_report_defect, name="equipment_report_defect"),
    path("<int:pk>/reservations/new/", reservations.reservation_create, name="reservation_create"),
    path("<int:pk>/maintenance/new/", maintenance.maintenance_create, name="maintenance_create"),
    path("<int:pk>/schedules/new/", maintenance.schedule_create, name="schedule_create"),
    path(
        "reservations/<int:pk>/cancel/",
        reservations.reservation_cancel,
        name="reservation_cancel",
    ),
    path("schedules/<int:pk>/delete/", maintenance.schedule_delete, name="schedule_delete"),
]
