from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Kammer-API")

    def ready(self):
        from . import schema, signals  # noqa: F401 - registers receivers and the OpenAPI auth extension
