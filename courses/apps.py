from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Kurse")

    def ready(self):
        from core.services.outbox import register_renderer

        from . import receivers  # noqa: F401 - connects the waiting-list promotion receivers
        from .emails import ENROLMENT_RENDERER, render_enrolment_email

        register_renderer(ENROLMENT_RENDERER, render_enrolment_email)
