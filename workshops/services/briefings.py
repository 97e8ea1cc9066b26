"""Safety briefings: an instructor records that a person was briefed on a type of machine; the
briefing is valid for the type's `briefing_valid_months`."""

import calendar
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput

from ..models import EquipmentType, SafetyBriefing


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def record_briefing(
    *, person, equipment_type: EquipmentType, actor, given_on: dt.date | None = None, note: str = ""
) -> SafetyBriefing:
    """Record a briefing given on `given_on` (default today), valid for the type's period."""
    given_on = given_on or timezone.localdate()
    if given_on > timezone.localdate():
        raise InvalidInput(
            _("Eine Unterweisung kann nicht in der Zukunft liegen."), field="given_on"
        )
    if person is None:
        raise InvalidInput(_("Bitte eine Person wählen."), field="person")
    briefing = SafetyBriefing.objects.create(
        person=person,
        equipment_type=equipment_type,
        given_on=given_on,
        valid_until=add_months(given_on, equipment_type.briefing_valid_months or 12),
        given_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:200],
    )
    audit(
        actor=actor,
        action="briefing.recorded",
        obj=briefing,
        person=person.pk,
        equipment_type=equipment_type.pk,
        valid_until=briefing.valid_until.isoformat(),
    )
    return briefing
