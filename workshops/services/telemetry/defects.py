"""An error the machine keeps reporting becomes a defect: after TELEMETRY_ERROR_MINUTES the item
is marked defective through the same service a coordinator uses (its future course reservations
move to a free unit, the seats of the runs follow from the working units), and the school's
coordinators get an e-mail saying what moved and what did not."""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from core.links import absolute_url
from core.services.outbox import enqueue_email
from core.textmail import render_text
from people.selectors import coordinator_emails

from ...models import Equipment, EquipmentTelemetry
from ..equipment import set_equipment_status

log = logging.getLogger("workshops.telemetry")


def escalate_errors(*, now: dt.datetime, minutes: int | None = None) -> list[Equipment]:
    """Mark defective every working item whose error began at least `minutes` ago and has not
    been reported yet. One transaction per item; returns the items marked."""
    minutes = settings.TELEMETRY_ERROR_MINUTES if minutes is None else minutes
    due = EquipmentTelemetry.objects.filter(
        error_since__lte=now - dt.timedelta(minutes=minutes),
        defect_reported_at__isnull=True,
    ).values_list("equipment_id", flat=True)
    marked = []
    for equipment_id in list(due):
        with transaction.atomic():
            summary = EquipmentTelemetry.objects.select_for_update().get(pk=equipment_id)
            if summary.error_since is None or summary.defect_reported_at is not None:
                continue  # cleared or reported meanwhile
            summary.defect_reported_at = now
            summary.save(update_fields=["defect_reported_at"])
            item = Equipment.objects.select_related("type", "school").get(pk=equipment_id)
            if item.status != Equipment.Status.AVAILABLE:
                continue  # in maintenance or defective already: nothing to move
            item = set_equipment_status(
                equipment=item,
                status=Equipment.Status.DEFECTIVE,
                actor=None,
                note=f"Telemetrie: Störung seit {summary.error_since:%Y-%m-%d %H:%M} UTC",
            )
            _tell_coordinators(item, error_since=summary.error_since)
            log.warning(
                "telemetry: %s marked defective after a lasting error", item.inventory_number
            )
            marked.append(item)
    return marked


def _tell_coordinators(item: Equipment, *, error_since: dt.datetime) -> None:
    recipients = coordinator_emails(item.school_id)
    if not recipients:
        return
    context = {
        "item": item,
        "error_since": error_since,
        "moved": getattr(item, "moved_reservations", 0),
        "stranded": getattr(item, "stranded_reservations", 0),
        "url": absolute_url(item),
    }
    body = render_text("workshops/emails/telemetry_defect.txt", context)
    subject = " ".join(
        render_text("workshops/emails/telemetry_defect_subject.txt", context).split()
    )
    enqueue_email(EmailMessage(subject=subject, body=body, to=recipients))
