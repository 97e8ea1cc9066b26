"""Equipment pages, mounted at /staff/equipment/ by config/urls.py."""

from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("", views.equipment_list, name="equipment_list"),
    path("new/", views.equipment_create, name="equipment_create"),
    path("labels.pdf", views.labels_pdf, name="labels_pdf"),
    path("maintenance/", views.maintenance_due, name="maintenance_due"),
    path("utilisation/", views.utilisation_view, name="utilisation"),
    path("<int:pk>/", views.equipment_detail, name="equipment_detail"),
    path("<int:pk>/edit/", views.equipment_edit, name="equipment_edit"),
    path("<int:pk>/status/", views.equipment_status, name="equipment_status"),
    path("<int:pk>/reservations/new/", views.reservation_create, name="reservation_create"),
    path("<int:pk>/maintenance/new/", views.maintenance_create, name="maintenance_create"),
    path("<int:pk>/schedules/new/", views.schedule_create, name="schedule_create"),
    path("reservations/<int:pk>/cancel/", views.reservation_cancel, name="reservation_cancel"),
    path("schedules/<int:pk>/delete/", views.schedule_delete, name="schedule_delete"),
]
