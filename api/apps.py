from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Kammer-API")

    def ready(self):
        from core.events import register_audience

        from . import schema, signals  # noqa: F401 - registers receivers and the OpenAPI auth extension
        from .selectors import chambers_with_webhooks

        # Webhooks are the only listener: a chamber without an endpoint costs a booking nothing.
        register_audience(lambda chamber_id: chamber_id in chambers_with_webhooks())
