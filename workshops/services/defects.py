"""A defect reported by a person at the machine (an instructor who scanned its QR label): the item
is marked defective through the same status service a coordinator uses, so its future course
reservations move to a free unit, and the school's coordinators get an e-mail through the
outbox in the same transaction."""

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidInput
from core.links import absolute_url
from core.services.outbox import enqueue_email
from core.textmail import render_text
from core.validators import one_line
from people.selectors import coordinator_emails

from ..models import Equipment
from .equipment import set_equipment_status

MAX_NOTE = 300


@transaction.atomic
def report_defect(*, equipment: Equipment, actor, note: str) -> Equipment:
    """Mark the item defective with what the reporter saw (required: the coordinator must know
    what is wrong). An item already out of service keeps its status; the note is added and the
    coordinators are told all the same."""
    note = one_line((note or "").strip())[:MAX_NOTE]
    if not note:
        raise InvalidInput(_("Bitte beschreiben Sie kurz, was defekt ist."), field="note")
    reporter = actor.get_full_name() or actor.email
    text = _("Defekt gemeldet von %(who)s: %(note)s") % {"who": reporter, "note": note}
    status, until = equipment.status, equipment.out_of_service_until
    if status not in Equipment.Status.OUT_OF_SERVICE and status != Equipment.Status.RETIRED:
        status, until = Equipment.Status.DEFECTIVE, None  # until further notice
    if until is not None and until <= timezone.now():
        until = None
    item = set_equipment_status(
        equipment=equipment,
        status=status,
        until=until,
        note=text,
        actor=actor,
    )
    _tell_coordinators(item, reporter=reporter, note=note)
    return item


def _tell_coordinators(item: Equipment, *, reporter: str, note: str) -> None:
    recipients = coordinator_emails(item.school_id)
    if not recipients:
        return
    context = {
        "item": item,
        "reporter": reporter,
        "note": note,
        "moved": getattr(item, "moved_reservations", 0),
        "stranded": getattr(item, "stranded_reservations", 0),
        "url": absolute_url(item),
    }
    body = render_text("workshops/emails/defect_reported.txt", context)
    subject = render_text("workshops/emails/defect_reported_subject.txt", context)
    enqueue_email(
        EmailMessage(subject=one_line(" ".join(subject.split())), body=body, to=recipients)
    )
