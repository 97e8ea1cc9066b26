"""The participant's e-mail with their certificate, written into the outbox by the issuing
transaction."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.roundtrip import RoundTrip
from core.services.outbox import StoredFile, deliver_email, enqueue_email
from core.textmail import render_text
from core.validators import one_line
from courses.models import Enrolment

from ..models import Certificate
from ..snapshot import language_of


def mail_recipient(enrolment: Enrolment):
    participant = enrolment.participant
    if participant is None or not participant.email or participant.anonymised_at:
        return None
    return participant


def enqueue_issued_email(certificate: Certificate, *, into: RoundTrip | None = None):
    """The participant's e-mail with the PDF, into the outbox in the issuing transaction (sent
    after the commit, or by the sweep); `emailed_at` marks it handed over, once per certificate.
    The PDF is attached by its storage name: the outbox reads it when it sends. `into`: the
    issuing transaction's round trip, for a certificate it created (so its key is new)."""
    participant = mail_recipient(certificate.enrolment)
    if participant is None:
        return None
    context = {"certificate": certificate, "data": certificate.data, "participant": participant}
    with translation.override(language_of(certificate.enrolment)):
        subject = one_line(render_text("certificates/email/issued_subject.txt", context))
        body = render_text("certificates/email/issued_body.txt", context)
        filename = f"{_('Teilnahmebescheinigung')}-{certificate.number}.pdf"
    message = EmailMessage(subject=subject, body=body, to=[participant.email])
    row = enqueue_email(
        message,
        key=f"certificates:issued:{certificate.pk}",
        stored_files=[StoredFile(filename, certificate.pdf.name, "application/pdf")],
        into=into,
    )
    if certificate.emailed_at is None:
        Certificate.objects.filter(pk=certificate.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
    return row


def email_certificate(*, certificate_id: int) -> bool:
    """Send the participant their certificate, in their language, once (for tasks queued before
    the outbox: the issuing transaction writes the e-mail itself now). Returns whether it sent."""
    certificate = (
        Certificate.objects.select_related("enrolment__participant")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None or certificate.emailed_at or not certificate.is_valid:
        return False
    row = enqueue_issued_email(certificate)
    return row is not None and deliver_email(email_id=row.pk)
