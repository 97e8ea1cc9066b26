from django.urls import path

from .views import reports

urlpatterns = [
    path("runs/<int:run_id>/uelu.csv", reports.uelu_csv, name="uelu_csv"),
    path("runs/<int:run_id>/uelu.xlsx", reports.uelu_xlsx, name="uelu_xlsx"),
]
