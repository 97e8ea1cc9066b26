"""Booking e-mails, written in the recipient's language, with iCalendar attachments, and the
coordinators' notice of a run short of its minimum. Built from models and selectors only; the
services decide who gets which e-mail and when.

Booking texts live in templates/emails/<language>/<kind>.txt (first line subject, then a blank
line, then the body): e-mails are whole texts that translators want to see as a whole, and they
must not depend on compiled message catalogues being present."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation

from core.links import absolute_url
from core.textmail import render_text
from core.validators import one_line
from people.models import Membership

from .ical import itip_message
from .models import CourseRun, Enrolment, Session
from .selectors import waitlist_position

# kind -> iTIP METHOD of the attachments (None: no attachment; a waiting-list place or a seat
# held for the employer's approval is not in the calendar yet)
KINDS = {
    "confirmation": "REQUEST",
    "promotion": "REQUEST",
    "waitlist": None,
    "pending": None,
    "offer": None,
    "offer_expired": None,
    "cancellation": "CANCEL",
    "reminder": "REQUEST",
    "approval_request": None,
    # One session of the run was moved or called off: only that session's message.
    "session_moved": "REQUEST",
    "session_cancelled": "CANCEL",
    # The coordinator moved the booking to another run: the new run's sessions (the old run's
    # are cancelled in the same e-mail, see moved_email).
    "moved": "REQUEST",
}
SESSION_KINDS = ("session_moved", "session_cancelled")


def language_of(user) -> str:
    lang = (getattr(user, "language", "") or settings.LANGUAGE_CODE)[:2]
    return lang if lang in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _render(kind: str, lang: str, context: dict) -> tuple[str, str]:
    with translation.override(lang):
        text = render_text([f"emails/{lang}/{kind}.txt", f"emails/de/{kind}.txt"], context)
    subject, _, body = text.strip().partition("\n\n")
    return one_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject), body.strip() + "\n"


def _sessions(enrolment: Enrolment) -> list[Session]:
    return list(
        Session.objects.filter(run_id=enrolment.run_id)
        .select_related("run__course", "run__school", "workshop", "instructor")
        .order_by("start")
    )


def _context(enrolment: Enrolment, sessions: list[Session], position: int | None = None) -> dict:
    run = enrolment.run
    return {
        "enrolment": enrolment,
        "run": run,
        "course": run.course,
        "participant": enrolment.participant,
        "name": enrolment.participant_name or str(enrolment.participant or ""),
        "sessions": [s for s in sessions if s.status == Session.Status.SCHEDULED],
        "position": position if position is not None else waitlist_position(enrolment),
        "run_url": absolute_url(run),
        "my_url": absolute_url("courses:my"),
        "offer_url": absolute_url("courses:my_offer", enrolment.pk),
        "site_url": settings.SITE_URL,
        # Never promise a free cancellation whose deadline has passed.
        "can_cancel_free": run.cancellation_deadline > timezone.now(),
    }


def _itip_sessions(kind: str, sessions: list[Session], session_id: int | None) -> list[Session]:
    """The sessions the e-mail's calendar messages are about: the changed one, every scheduled one
    for a seat, every one (scheduled or already called off) when the seat goes."""
    if kind in SESSION_KINDS:
        return [s for s in sessions if s.pk == session_id]
    if KINDS[kind] == "CANCEL":
        return sessions
    return [s for s in sessions if s.status == Session.Status.SCHEDULED]


def enrolment_email(
    enrolment: Enrolment,
    kind: str,
    *,
    session_id: int | None = None,
    position: int | None = None,
    extra: dict | None = None,
    lang: str | None = None,
) -> EmailMessage | None:
    """The e-mail to the participant about their enrolment (None when there is nobody to tell).
    Calendar attachments are iTIP messages, one per session (each one UID); `session_id` names
    the session a session_moved or session_cancelled e-mail is about. `lang`: the language
    chosen when the message was stored (else the participant's now)."""
    participant = enrolment.participant
    if participant is None or not participant.email:
        return None
    sessions = _sessions(enrolment)
    lang = lang or language_of(participant)
    context = _context(enrolment, sessions, position)
    about = _itip_sessions(kind, sessions, session_id)
    if kind in SESSION_KINDS:
        if not about:
            return None
        context["changed_session"] = about[0]
    context.update(extra or {})
    subject, body = _render(kind, lang, context)
    message = EmailMessage(subject=subject, body=body, to=[participant.email])
    method = KINDS[kind]
    if method:
        for index, session in enumerate(about, start=1):
            ics = itip_message(session, enrolment=enrolment, method=method)
            # RFC 6047: the method in the part's content type matches the one inside.
            message.attach(f"termin-{index}.ics", ics, f"text/calendar; method={method}")
    return message


ENROLMENT_RENDERER = "courses.enrolment"


def render_enrolment_email(
    *, enrolment: int, kind: str, position: int | None = None, lang: str | None = None
) -> EmailMessage | None:
    """The outbox renderer ENROLMENT_RENDERER (core.services.outbox): the e-mail rendered by the
    worker that sends it, from the state committed by then. None when the enrolment is gone or
    its participant was anonymised meanwhile."""
    found = (
        Enrolment.objects.select_related("run__course", "run__school", "participant", "business")
        .filter(pk=enrolment)
        .first()
    )
    if found is None:
        return None
    return enrolment_email(found, kind, position=position, lang=lang)


def moved_email(old: Enrolment, new: Enrolment) -> EmailMessage | None:
    """One e-mail for a booking moved to another run: it names the new dates, carries a REQUEST
    for each new session and a CANCEL for each session of the old run."""
    message = enrolment_email(new, "moved", extra={"old_run": old.run})
    if message is None:
        return None
    start = len(message.attachments)
    for index, session in enumerate(_sessions(old), start=start + 1):
        ics = itip_message(session, enrolment=old, method="CANCEL")
        message.attach(f"termin-{index}.ics", ics, "text/calendar; method=CANCEL")
    return message


def run_message_email(enrolment: Enrolment, message, *, sender: str = "") -> EmailMessage | None:
    """A coordinator's message (courses.RunMessage) to one participant, in their language,
    wrapped in a few lines naming the course, the run or the session it concerns. Expects the
    enrolment's run, course, school and participant loaded; no query of its own."""
    participant = enrolment.participant
    if participant is None or not participant.email:
        return None
    run = enrolment.run
    context = {
        "name": enrolment.participant_name or str(participant),
        "run": run,
        "course": run.course,
        "session": message.session,
        "subject": message.subject,
        "body": message.body,
        "author_name": sender,
        "run_url": absolute_url(run),
        "my_url": absolute_url("courses:my"),
    }
    subject, body = _render("run_message", language_of(participant), context)
    return EmailMessage(subject=subject, body=body, to=[participant.email])


def approval_request_emails(enrolment: Enrolment, token: str) -> list[EmailMessage]:
    """One e-mail per contact of the employer (each in their own language), or the business's
    address when it has no contact person on record. `token` is the clear approval token: the
    link exists only in these e-mails."""
    business = enrolment.business
    if business is None:
        return []
    contacts = list(
        Membership.objects.filter(
            business=business, role=Membership.Role.BUSINESS_CONTACT, user__is_active=True
        ).select_related("user")
    )
    recipients = [(m.user.email, language_of(m.user)) for m in contacts]
    if not recipients and business.email:
        recipients = [(business.email, settings.LANGUAGE_CODE)]
    sessions = _sessions(enrolment)
    context = _context(enrolment, sessions) | {
        "business": business,
        "approval_url": absolute_url("courses:business_approval", token),
    }
    messages = []
    for email, lang in recipients:
        subject, body = _render("approval_request", lang, context)
        messages.append(EmailMessage(subject=subject, body=body, to=[email]))
    return messages


def below_minimum_email(run: CourseRun, recipients: list[str]) -> EmailMessage:
    """To the school's coordinators: the run has fewer confirmed enrolments than its minimum.
    Expects `run.confirmed` annotated (selectors.staff_runs)."""
    context = {
        "run": run,
        "run_url": absolute_url("courses:staff_run_detail", run.pk),
        "site_url": settings.SITE_URL,
    }
    body = render_text("staff/emails/below_minimum.txt", context)
    subject = render_text("staff/emails/below_minimum_subject.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=recipients)


def attendance_missing_email(run: CourseRun, recipients: list[str], missing) -> EmailMessage:
    """To the school's coordinators: the run is over but attendance of some sessions is not
    recorded, so it is not completed yet. `missing`: services.completion.missing_attendance."""
    context = {
        "run": run,
        "missing": missing,
        "completion_url": absolute_url("courses:run_completion", run.pk),
        "site_url": settings.SITE_URL,
    }
    body = render_text("staff/emails/attendance_missing.txt", context)
    subject = render_text("staff/emails/attendance_missing_subject.txt", context)
    return EmailMessage(subject=one_line(" ".join(subject.split())), body=body, to=recipients)


def render_preview(kind: str, lang: str, context: dict) -> str:
    """For tests and the admin: the text an e-mail would have."""
    return render_text(f"emails/{lang}/{kind}.txt", context)
