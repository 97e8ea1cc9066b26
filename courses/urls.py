from django.urls import include, path

from .views import public, staff  # noqa: F401

app_name = "courses"

urlpatterns = [
    path("", public.catalogue_view, name="catalogue"),
    path("", include("courses.urls_public")),
    path("staff/completion/", include("courses.urls_completion")),
    path("staff/reports/", include("courses.urls_reports")),
    path("staff/exports/", include("courses.urls_exports")),
    path("staff/", include("courses.urls_staff")),
    # Self check-in by QR code (planning): participants, not staff, open this.
    path("checkin/<str:token>/", staff.checkin, name="checkin"),
]
