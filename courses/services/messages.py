"""Messages from the coordinators to the participants of a run or of one of its sessions ("bring
safety shoes", "room B 1.04 instead of A 0.12"): one e-mail per person in their own language,
written to the outbox in the same transaction as the log entry on the run."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput, PermissionDenied
from core.services.outbox import enqueue_email
from people.models import User

from ..emails import run_message_email
from ..models import CourseRun, Enrolment, RunMessage, Session
from ..models.messages import BODY_MAX, SUBJECT_MAX

# Who hears a message: a seat (confirmed, or held for the employer's approval or an offer's
# answer); optionally the waiting list too.
WITH_SEAT = (Enrolment.Status.CONFIRMED, Enrolment.Status.PENDING, Enrolment.Status.OFFERED)
WAITING = (Enrolment.Status.WAITLISTED,)


def _check(*, subject: str, body: str) -> tuple[str, str]:
    subject, body = " ".join(subject.split()), body.strip()
    if not subject:
        raise InvalidInput(_("Bitte einen Betreff angeben."), field="subject")
    if len(subject) > SUBJECT_MAX:
        raise InvalidInput(
            _("Der Betreff darf höchstens %(n)s Zeichen lang sein.") % {"n": SUBJECT_MAX},
            field="subject",
        )
    if not body:
        raise InvalidInput(_("Bitte eine Nachricht schreiben."), field="body")
    if len(body) > BODY_MAX:
        raise InvalidInput(
            _("Die Nachricht darf höchstens %(n)s Zeichen lang sein.") % {"n": BODY_MAX},
            field="body",
        )
    return subject, body


def recipients(run: CourseRun, *, include_waiting: bool = False):
    """The enrolments a message goes to, with what its e-mail prints loaded (one query)."""
    statuses = WITH_SEAT + (WAITING if include_waiting else ())
    return (
        Enrolment.objects.filter(run=run, status__in=statuses, participant__isnull=False)
        .exclude(participant__email="")
        .select_related("run__course", "run__school", "participant")
        .order_by("id")
    )


def send_run_message(
    *,
    run: CourseRun,
    actor: User,
    subject: str,
    body: str,
    session: Session | None = None,
    include_waiting: bool = False,
) -> RunMessage:
    """Write to the participants of `run` (of one of its sessions when `session` is given; the
    e-mail then names the session's date). Logged on the run with the number of recipients."""
    if not actor.has_perm("courses.manage_participants", run):
        raise PermissionDenied(
            _("Nur die Koordination der Schule darf den Teilnehmenden schreiben."), field="run"
        )
    subject, body = _check(subject=subject, body=body)
    if session is not None and session.run_id != run.pk:
        raise InvalidInput(_("Dieser Termin gehört nicht zu diesem Kurs."), field="session")
    if session is not None and session.status != Session.Status.SCHEDULED:
        raise InvalidInput(_("Dieser Termin ist abgesagt."), field="session")
    audience = (
        RunMessage.Audience.WITH_WAITING if include_waiting else RunMessage.Audience.CONFIRMED
    )
    sender = actor.get_full_name()
    with transaction.atomic():
        message = RunMessage.objects.create(
            run=run,
            session=session,
            author=actor,
            audience=audience,
            subject=subject,
            body=body,
        )
        count, seen = 0, set()
        for enrolment in recipients(run, include_waiting=include_waiting):
            if enrolment.participant_id in seen:
                continue
            seen.add(enrolment.participant_id)
            email = run_message_email(enrolment, message, sender=sender)
            if email is not None:
                enqueue_email(email, key=f"courses:run_message:{message.pk}:{enrolment.pk}")
                count += 1
        message.recipients = count
        message.save(update_fields=["recipients"])
        audit(
            actor=actor,
            action="run.message_sent",
            obj=run,
            message=message.pk,
            session=session.pk if session else None,
            audience=audience,
            recipients=count,
        )
    return message
