"""Resources used by a run: material per session (recorded by the instructor through the
workshops stock service, linked here to the session) and safety briefings given in a session."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidInput
from workshops.models import ConsumableStock, EquipmentType
from workshops.services.briefings import record_briefing
from workshops.services.consumables import record_use

from ..models import Enrolment, Session, SessionMaterial


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
