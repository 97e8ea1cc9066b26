"""A barrier report is stored first (nothing is lost when mail is down), then mailed to the
district's administrators after the commit."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation

from core.audit import audit
from core.errors import InvalidInput
from core.textmail import render_text
from core.validators import one_line

from .models import BarrierReport
from .selectors import district_admin_addresses
from .tasks import send_barrier_report as send_barrier_report_task


def barrier_report_create(
    *, message: str, name: str = "", email: str = "", page_url: str = "", actor=None
) -> BarrierReport:
    """Store a report and hand it to the district admins on commit. Raises InvalidInput for an
    empty message. Side effects: audit row, e-mail task."""
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
        transaction.on_commit(lambda: send_barrier_report_task.delay(report.pk))
    return report


def barrier_report_send(*, report_id: int) -> int:
    """Mail one report to every district admin, in German (the district's language). Returns
    how many received it."""
    report = BarrierReport.objects.get(pk=report_id)
    recipients = district_admin_addresses() or [settings.LEGAL_CONTACT_EMAIL]
    with translation.override("de"):
        text = render_text("legal/emails/de/barrier_report.txt", {"report": report})
    subject, _sep, body = text.strip().partition("\n\n")
    EmailMessage(
        subject=one_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject),
        body=body.strip() + "\n",
        to=recipients,
        reply_to=[report.email] if report.email else None,
    ).send()
    return len(recipients)
