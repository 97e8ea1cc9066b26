"""Resources used by a run: material per session (recorded by the instructor through the
workshops stock service, or measured by a printer's filament counter and taken from the spool
loaded on it; linked here to the session) and safety briefings given in a session."""

import datetime as dt
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidInput
from workshops.filament import in_unit
from workshops.models import ConsumableStock, EquipmentType, LoadedConsumable
from workshops.selectors_telemetry import filament_used
from workshops.services.briefings import record_briefing
from workshops.services.consumables import record_use

from ..models import Enrolment, Session, SessionMaterial

log = logging.getLogger("courses.resources")
MEASURED_LOOKBACK = dt.timedelta(days=2)  # sessions ended this long ago are still picked up


@transaction.atomic
def record_session_material(
    *, session: Session, stock: ConsumableStock, quantity: Decimal, actor, note: str = ""
) -> SessionMaterial:
    """The instructor records what a session used: the stock goes down (and may alert), and the
    movement is linked to the session for the run's resource report."""
    if stock.workshop.school_id != session.run.school_id:
        raise InvalidInput(_("Dieses Material gehört nicht zu dieser Schule."), field="stock")
    movement = record_use(
        stock=stock,
        quantity=quantity,
        actor=actor,
        note=note or str(session),
        at=min(session.end, timezone.now()),
    )
    return SessionMaterial.objects.create(session=session, movement=movement)


@transaction.atomic
def brief_participants(
    *, session: Session, enrolments: list[Enrolment], types: list[EquipmentType], actor
) -> int:
    """Record the safety briefing the instructor gave in this session to these participants on
    these machine types. Returns the number of briefings recorded."""
    count = 0
    given_on = min(timezone.localdate(session.start), timezone.localdate())
    for enrolment in enrolments:
        if enrolment.run_id != session.run_id or enrolment.participant is None:
            raise InvalidInput(
                _("Diese Anmeldung gehört nicht zu diesem Kurs."), field="enrolments"
            )
        for etype in types:
            record_briefing(
                person=enrolment.participant, equipment_type=etype, actor=actor, given_on=given_on
            )
            count += 1
    return count


@transaction.atomic
def record_measured_material(*, session: Session) -> list[SessionMaterial]:
    """Take the filament the session's printers reported (their counters during the session)
    from the stock loaded on each, once per session and printer. A use larger than what is left
    takes the rest (the counter is the truth; the stock was miscounted)."""
    items = [r.equipment_id for r in session.reservations.all() if r.is_active]
    done = set(
        SessionMaterial.objects.filter(session=session, equipment_id__in=items).values_list(
            "equipment_id", flat=True
        )
    )
    loaded = {
        lc.equipment_id: lc
        for lc in LoadedConsumable.objects.filter(
            equipment_id__in=[pk for pk in items if pk not in done]
        ).select_related("equipment", "stock__consumable")
    }
    used = filament_used(list(loaded), start=session.start, end=session.end) if loaded else {}
    recorded = []
    for pk, counted in used.items():
        stock = ConsumableStock.objects.select_for_update().get(pk=loaded[pk].stock_id)
        consumable = loaded[pk].stock.consumable
        quantity = in_unit(
            consumable.unit,
            mm=counted.get("mm"),
            grams=counted.get("g"),
            material=consumable.material,
        )
        quantity = min(quantity or Decimal("0"), stock.quantity)
        if quantity <= 0:
            continue
        number = loaded[pk].equipment.inventory_number
        movement = record_use(
            stock=stock,
            quantity=quantity,
            actor=None,
            note=_("Telemetrie %(item)s: %(session)s") % {"item": number, "session": session},
            at=session.end,
        )
        recorded.append(
            SessionMaterial.objects.create(session=session, movement=movement, equipment_id=pk)
        )
    return recorded


def record_due_measured_material(*, now: dt.datetime | None = None) -> int:
    """For every session that ended in the last two days, record what its printers measured
    (one transaction per session). Returns the number of uses recorded."""
    now = now or timezone.now()
    sessions = Session.objects.filter(
        status=Session.Status.SCHEDULED, end__lte=now, end__gt=now - MEASURED_LOOKBACK
    ).prefetch_related("reservations")
    count = 0
    for session in sessions:
        count += len(record_measured_material(session=session))
    if count:
        log.info("resources: %d measured material uses recorded", count)
    return count
