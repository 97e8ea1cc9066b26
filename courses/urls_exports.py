"""Staff downloads under /staff/exports/ (names in the "courses" namespace)."""

from django.urls import path

from .views import exports

urlpatterns = [
    path(
        "runs/<int:run_id>/participants.csv",
        exports.participants_csv,
        name="export_participants_csv",
    ),
    path(
        "runs/<int:run_id>/participants.xlsx",
        exports.participants_xlsx,
        name="export_participants_xlsx",
    ),
    path(
        "sessions/<int:session_id>/signatures.pdf",
        exports.signature_list,
        name="export_signature_list",
    ),
]
