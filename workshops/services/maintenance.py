"""Maintenance: records (which may bring an item back into service), schedules, and the daily
notice to coordinators of duties falling due."""

import datetime as dt
from decimal import Decimal

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput
from core.links import absolute_url
from core.services.outbox import enqueue_email
from core.textmail import render_text
from people.models import School
from people.selectors import coordinator_emails

from ..models import (
    Equipment,
    EquipmentType,
    MaintenanceNotice,
    MaintenanceRecord,
    MaintenanceSchedule,
)
from ..selectors import MaintenanceDue, due_and_overdue
from .equipment import set_equipment_status


@transaction.atomic
def record_maintenance(
    *,
    equipment: Equipment,
    actor,
    kind: str,
    performed_on: dt.date,
    performed_by_name: str = "",
    operating_hours_at: Decimal | None = None,
    cost: Decimal | None = None,
    notes: str = "",
    new_status: str | None = None,
) -> MaintenanceRecord:
    if kind not in MaintenanceRecord.Kind.values:
        raise InvalidInput(_("Unbekannte Wartungsart."), field="kind")
    if performed_on is None:
        raise InvalidInput(_("Bitte ein Datum angeben."), field="performed_on")
    if performed_on > timezone.localdate():
        raise InvalidInput(
            _("Eine Wartung kann nicht in der Zukunft liegen."), field="performed_on"
        )
    if cost is not None and cost < 0:
        raise InvalidInput(_("Kosten dürfen nicht negativ sein."), field="cost")
    if operating_hours_at is not None and operating_hours_at < 0:
        raise InvalidInput(
            _("Betriebsstunden dürfen nicht negativ sein."), field="operating_hours_at"
        )
    record = MaintenanceRecord.objects.create(
        equipment=equipment,
        kind=kind,
        performed_on=performed_on,
        performed_by=actor if getattr(actor, "is_authenticated", False) else None,
        performed_by_name=performed_by_name or (str(actor) if actor else ""),
        operating_hours_at=operating_hours_at,
        cost=cost,
        notes=notes,
    )
    # The counter only moves forward: a record with a higher reading updates the item.
    if operating_hours_at is not None and operating_hours_at > equipment.operating_hours:
        equipment.operating_hours = operating_hours_at
        equipment.save(update_fields=["operating_hours", "updated_at"])
    audit(actor=actor, action="maintenance.recorded", obj=record, kind=kind, cost=str(cost or ""))
    if new_status and new_status != equipment.status:
        set_equipment_status(equipment=equipment, status=new_status, actor=actor)
    return record


@transaction.atomic
def create_schedule(
    *,
    school,
    actor,
    equipment: Equipment | None = None,
    equipment_type: EquipmentType | None = None,
    kind: str = MaintenanceRecord.Kind.INSPECTION,
    interval_days: int | None = None,
    interval_hours: int | None = None,
    description: str = "",
) -> MaintenanceSchedule:
    if (equipment is None) == (equipment_type is None):
        raise InvalidInput(
            _("Bitte genau ein Gerät oder eine Geräteart wählen."), field="equipment"
        )
    if equipment is not None and equipment.school_id != school.pk:
        raise InvalidInput(_("Das Gerät gehört nicht zu dieser Schule."), field="equipment")
    if not interval_days and not interval_hours:
        raise InvalidInput(
            _("Bitte ein Intervall in Tagen oder Betriebsstunden angeben."), field="interval_days"
        )
    if kind not in MaintenanceRecord.Kind.values:
        raise InvalidInput(_("Unbekannte Wartungsart."), field="kind")
    schedule = MaintenanceSchedule.objects.create(
        school=school,
        equipment=equipment,
        equipment_type=equipment_type,
        kind=kind,
        interval_days=interval_days or None,
        interval_hours=interval_hours or None,
        description=description,
    )
    audit(actor=actor, action="maintenance_schedule.created", obj=schedule)
    return schedule


@transaction.atomic
def delete_schedule(*, schedule: MaintenanceSchedule, actor) -> None:
    audit(actor=actor, action="maintenance_schedule.deleted", obj=schedule)
    schedule.delete()


def notify_maintenance_due(*, today: dt.date | None = None) -> int:
    """E-mail each school's coordinators about items falling due within MAINTENANCE_NOTICE_DAYS
    (or overdue) that they have not been told about yet. Returns the number of duties noticed.

    Safe to run twice: each (item, kind, due point) is noticed once (MaintenanceNotice is unique;
    an hours-based duty's due point is the reading it falls due at, so it is not told daily),
    one transaction per school, and the e-mail leaves when that transaction commits."""
    today = today or timezone.localdate()
    noticed = 0
    for school in School.objects.all().order_by("pk"):
        duties = [
            d
            for d in due_and_overdue([school.pk], today=today)
            if d.due_on is not None or d.hours_left is not None
        ]
        with transaction.atomic():
            fresh = [duty for duty in duties if _first_notice(duty)]
            if not fresh:
                continue
            _mail_coordinators(school=school, duties=fresh)
            noticed += len(fresh)
    return noticed


def _first_notice(duty: MaintenanceDue) -> bool:
    try:
        with transaction.atomic():
            MaintenanceNotice.objects.create(
                equipment=duty.equipment,
                kind=duty.kind,
                due_on=duty.due_on,
                due_hours=duty.due_hours,
                due_point=duty.due_point,
            )
    except IntegrityError:
        return False  # told already
    return True


def _mail_coordinators(*, school: School, duties: list[MaintenanceDue]) -> None:
    recipients = coordinator_emails(school.pk)
    if not recipients:
        return
    context = {
        "school": school,
        "duties": [{"duty": duty, "url": absolute_url(duty.equipment)} for duty in duties],
        "list_url": absolute_url("workshops:maintenance_due"),
    }
    body = render_text("workshops/emails/maintenance_due.txt", context)
    subject = " ".join(render_text("workshops/emails/maintenance_due_subject.txt", context).split())
    enqueue_email(EmailMessage(subject=subject, body=body, to=recipients))
