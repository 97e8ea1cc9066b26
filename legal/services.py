"""A barrier report is stored, and its e-mail to the district's administrators written into the
outbox, in one transaction: nothing is lost when mail or the broker is down."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation

from core.audit import audit
from core.errors import InvalidInput
from core.services.outbox import enqueue_email
from core.textmail import render_text
from core.validators import one_line

from .models import BarrierReport
from .selectors import district_admin_addresses


def barrier_report_create(
    *, message: str, name: str = "", email: str = "", page_url: str = "", actor=None
) -> BarrierReport:
    """Store a report and e-mail it to the district admins (through the outbox). Raises
    InvalidInput for an empty message. Side effects: audit row, outbox e-mail."""
    message = message.strip()
    if not message:
        raise InvalidInput(
            translation.gettext("Bitte beschreiben Sie die Barriere."), field="message"
        )
    with transaction.atomic():
        report = BarrierReport(
            name=name.strip(), email=email.strip(), page_url=page_url.strip(), message=message
        )
        report.full_clean()
        report.save()
        audit(actor=actor, action="legal.barrier_report", obj=report)
        barrier_report_send(report_id=report.pk)
    return report


def barrier_report_send(*, report_id: int) -> int:
    """Write the report's e-mail to every district admin, in German (the district's language),
    into the outbox, once per report. Returns how many it is addressed to."""
    report = BarrierReport.objects.get(pk=report_id)
    recipients = district_admin_addresses() or [settings.LEGAL_CONTACT_EMAIL]
    with translation.override("de"):
        text = render_text("legal/emails/de/barrier_report.txt", {"report": report})
    subject, _sep, body = text.strip().partition("\n\n")
    message = EmailMessage(
        subject=one_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject),
        body=body.strip() + "\n",
        to=recipients,
        reply_to=[report.email] if report.email else None,
    )
    enqueue_email(message, key=f"legal:barrier_report:{report.pk}")
    return len(recipients)
