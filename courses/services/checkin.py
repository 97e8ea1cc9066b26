"""Self check-in: the participant, signed in, confirms with a short code that rotates on the
projector in the room (shown with a QR code of the check-in page).

A forwarded link or a photo of the code stops working within a minute, and only a participant
with a confirmed enrolment of the run can use it, inside the session's window, by POST.

The code is TOTP-like (RFC 6238 with RFC 4226 truncation): an HMAC of the session and the current
30-second step, keyed from SECRET_KEY, so nothing secret is stored per session. The current and
the previous step are accepted (a code scanned just before it changes still works)."""

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import local_date, local_time

from ..errors import CheckInClosed
from ..models import Attendance, Enrolment, Session
from .attendance import OPENS_BEFORE, record_attendance

# Participants may check in from shortly before the start until the session ends.
CHECKIN_OPENS_BEFORE = OPENS_BEFORE
STEP_SECONDS = 30
DIGITS = 6
# Wrong codes one participant may try for one session in a quarter of an hour: far too few to
# guess one of a million codes that change every 30 seconds.
MAX_WRONG_CODES = 10
WRONG_CODE_WINDOW = 15 * 60


def checkin_window(session: Session) -> tuple[dt.datetime, dt.datetime]:
    return session.start - CHECKIN_OPENS_BEFORE, session.end


def _step(at: dt.datetime) -> int:
    return int(at.timestamp()) // STEP_SECONDS


def _code_at_step(session: Session, step: int) -> str:
    key = hmac.new(settings.SECRET_KEY.encode(), b"lernwerkstatt.checkin", hashlib.sha256).digest()
    mac = hmac.new(key, f"{session.pk}:{session.uid}:{step}".encode(), hashlib.sha256).digest()
    offset = mac[-1] & 0x0F
    number = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{number % 10**DIGITS:0{DIGITS}d}"


def checkin_code(session: Session, *, now: dt.datetime | None = None) -> str:
    """The code the projector shows now."""
    return _code_at_step(session, _step(now or timezone.now()))


def seconds_until_next_code(now: dt.datetime | None = None) -> int:
    return STEP_SECONDS - int((now or timezone.now()).timestamp()) % STEP_SECONDS


def code_is_valid(session: Session, code: str, *, now: dt.datetime) -> bool:
    code = (code or "").strip().replace(" ", "")
    step = _step(now)
    # Both compared every time: the answer takes as long whichever step matched.
    current = hmac.compare_digest(code, _code_at_step(session, step))
    previous = hmac.compare_digest(code, _code_at_step(session, step - 1))
    return current or previous


def _check_open(session: Session, now: dt.datetime) -> None:
    if session.status != Session.Status.SCHEDULED:
        raise CheckInClosed(_("Dieser Termin wurde abgesagt."), field="code")
    opens, closes = checkin_window(session)
    local_opens = timezone.localtime(opens)
    if now < opens:
        raise CheckInClosed(
            _("Der Check-in öffnet erst am %(day)s um %(time)s Uhr (30 Minuten vor Beginn).")
            % {"day": local_date(local_opens), "time": local_time(local_opens)},
            field="code",
        )
    if now > closes:
        raise CheckInClosed(
            _("Der Termin ist vorbei; ein Check-in ist nicht mehr möglich."), field="code"
        )


def _count_wrong_code(session: Session, user) -> None:
    key = f"checkin-wrong:{session.pk}:{user.pk}"
    cache.add(key, 0, WRONG_CODE_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WRONG_CODE_WINDOW)


def self_check_in(
    *, session: Session, code: str, user, now: dt.datetime | None = None
) -> Attendance:
    """The signed-in participant entered the code shown in the room: mark them present if they
    hold a confirmed enrolment, the session's window is open and the code is current; otherwise
    say why not."""
    now = now or timezone.now()
    _check_open(session, now)
    enrolment = (
        Enrolment.objects.select_related("business")
        .filter(run_id=session.run_id, participant=user, status=Enrolment.Status.CONFIRMED)
        .first()
    )
    if enrolment is None:
        raise CheckInClosed(
            _("Sie haben keine bestätigte Anmeldung für diesen Kurs."), field="code"
        )
    if (cache.get(f"checkin-wrong:{session.pk}:{user.pk}") or 0) >= MAX_WRONG_CODES:
        raise CheckInClosed(
            _("Zu viele falsche Codes. Bitte melden Sie sich bei der Kursleitung."), field="code"
        )
    if not code_is_valid(session, code, now=now):
        _count_wrong_code(session, user)
        raise CheckInClosed(
            _("Der Code stimmt nicht oder ist abgelaufen. Bitte geben Sie den aktuellen Code ein."),
            field="code",
        )
    return record_attendance(
        session=session,
        enrolment=enrolment,
        status=Attendance.Status.PRESENT,
        actor=user,
        method=Attendance.Method.SELF_CHECKIN,
    )
