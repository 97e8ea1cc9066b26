from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Teilnahmebescheinigungen")

    def ready(self):
        from courses.signals import demo_seeded, outcome_change_requested

        from . import receivers

        demo_seeded.connect(receivers.add_demo_certificates, dispatch_uid="certificates.demo")
        outcome_change_requested.connect(
            receivers.veto_outcome_change_of_certified_enrolment,
            dispatch_uid="certificates.veto_outcome_change_of_certified_enrolment",
        )
