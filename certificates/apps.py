from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Teilnahmebescheinigungen")

    def ready(self):
        from courses.signals import outcome_change_requested

        from . import receivers

        outcome_change_requested.connect(
            receivers.veto_outcome_change_of_certified_enrolment,
            dispatch_uid="certificates.veto_outcome_change_of_certified_enrolment",
        )
