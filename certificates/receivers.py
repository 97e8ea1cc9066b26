"""How certificates react to courses, through the signals courses offers (courses never reads
certificates). Connected in CertificatesConfig.ready()."""

from django.utils.translation import gettext as _

from courses.errors import CompletionNotAllowed
from courses.models import Enrolment

from .models import Certificate


def veto_outcome_change_of_certified_enrolment(sender, *, enrolment, status, **kwargs) -> None:
    """A valid certificate states that the enrolment was completed: its outcome stays until the
    certificate is revoked."""
    if status == Enrolment.Status.COMPLETED:
        return
    if Certificate.objects.filter(enrolment=enrolment, revoked_at__isnull=True).exists():
        raise CompletionNotAllowed(
            _("Für diese Anmeldung gibt es eine gültige Bescheinigung; bitte zuerst widerrufen."),
            field="status",
        )


def add_demo_certificates(sender, **kwargs) -> None:
    """`manage.py seed_demo` built the district: certificates for its completed runs."""
    from . import demo

    demo.seed()
