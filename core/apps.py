from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel every app may use; it imports none of them."""

    name = "core"
    verbose_name = _("Kern")

    def ready(self):
        from .admin_widgets import guard_autocomplete, guard_changeform_initial

        guard_autocomplete()
        guard_changeform_initial()
