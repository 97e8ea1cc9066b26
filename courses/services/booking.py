"""Booking: book, cancel, waiting list and promotion, employer approval.

Every transaction that changes who holds a seat locks the run row first (`_lock_run`). That one
lock serialises bookings, cancellations and promotions of a run, so the seat count read after it is
the truth and the waiting-list sequence (max + 1) never repeats. On SQLite the whole database is
locked by `transaction_mode=IMMEDIATE` instead, which gives the same guarantee.
Lock order, always: the participants' user rows (for the overlap check), then the run."""

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Exists, IntegerField, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.formatting import local_datetime
from people.models import Business, Membership, TraineeProfile, User

from ..errors import (
    AlreadyEnrolled,
    ApprovalError,
    BookingClosed,
    CancellationNotAllowed,
    NotEligible,
    OverlappingBooking,
)
from ..models import BookingPhase, CourseRun, Enrolment, Session
from ..selectors import with_seats
from ..signals import may_book_early

# --- helpers ----------------------------------------------------------------------------------


def _lock_run(run: CourseRun | int) -> CourseRun:
    run_id = run if isinstance(run, int) else run.pk
    return CourseRun.objects.select_for_update(of=("self",)).select_related("course").get(pk=run_id)


def _touch_run(run: CourseRun) -> None:
    """Seats changed: bump the run's updated_at so API clients syncing with `updated_since` see
    the new seats_left. One UPDATE of that column on the row the caller has already locked (no
    save() of the whole row, which could overwrite a concurrent edit of other fields)."""
    run.updated_at = timezone.now()
    CourseRun.objects.filter(pk=run.pk).update(updated_at=run.updated_at)


@dataclass
class SeatState:
    free: int  # seats not held by confirmed or pending enrolments
    waiting: int  # length of the waiting list
    next_seq: int  # the next waiting-list sequence number (max + 1: never reused)


_SENTINEL_PK = -7_654_321
_seat_sql: dict[str, tuple[str, tuple]] = {}


def _seat_state_sql(alias: str) -> tuple[str, tuple]:
    """The seat query, built from `with_seats` (the one seat rule) and compiled once per
    database: building and compiling its nested subqueries costs more CPU than running it, and
    it runs while every other booking of the run waits for the lock."""
    if alias not in _seat_sql:
        max_seq = (
            Enrolment.objects.filter(run_id=OuterRef("pk"), waitlist_seq__isnull=False)
            .order_by()
            .values("run_id")
            .annotate(m=Max("waitlist_seq"))
            .values("m")
        )
        qs = (
            with_seats(CourseRun.objects.using(alias).filter(pk=_SENTINEL_PK))
            .annotate(max_seq=Subquery(max_seq, output_field=IntegerField()))
            .values_list("seats", "taken", "waitlist_length", "max_seq")
        )
        _seat_sql[alias] = qs.query.get_compiler(using=alias).as_sql()
    return _seat_sql[alias]


def _seat_state(run: CourseRun) -> SeatState:
    """Seats and waiting list in one query, under the caller's run lock."""
    alias = router.db_for_write(CourseRun)
    sql, params = _seat_state_sql(alias)
    params = tuple(run.pk if p == _SENTINEL_PK else p for p in params)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        seats, taken, waiting, max_seq = cursor.fetchone()
    return SeatState(free=seats - taken, waiting=waiting, next_seq=(max_seq or 0) + 1)


def _chamber_id(enrolment: Enrolment) -> int | None:
    business = enrolment.business
    return business.chamber_id if business is not None else None


def enrolment_payload(enrolment: Enrolment, position: int | None = None) -> dict:
    return {
        "id": enrolment.pk,
        "run": enrolment.run_id,
        "participant": enrolment.participant_id,
        "business": enrolment.business_id,
        "status": enrolment.status,
        "source": enrolment.source,
        "waitlist_position": position,
    }


def _record(type_: str, enrolment: Enrolment, position: int | None = None) -> None:
    from core.events import record_event

    record_event(
        type=type_,
        payload=enrolment_payload(enrolment, position),
        chamber_id=_chamber_id(enrolment),
    )


def _send_on_commit(enrolment: Enrolment, kind: str) -> None:
    """E-mails go out only after the booking is committed; a rollback sends nothing."""
    from ..tasks.booking import send_enrolment_email

    message_id = uuid.uuid4().hex  # makes a redelivered task a no-op, see the task
    enrolment_id = enrolment.pk
    transaction.on_commit(lambda: send_enrolment_email.delay(enrolment_id, kind, message_id))


def _send_approval_request_on_commit(enrolment: Enrolment) -> None:
    from ..tasks.booking import send_approval_request

    enrolment_id, token = enrolment.pk, enrolment.approval_token
    transaction.on_commit(lambda: send_approval_request.delay(enrolment_id, token))


def _check_overlap(*, run: CourseRun, participant: User) -> None:
    """No active enrolment of the participant in another run whose sessions overlap this run's
    (one query; a run without sessions yet is compared by its first and last date)."""
    this_run = Session.objects.filter(
        run_id=run.pk,
        status=Session.Status.SCHEDULED,
        start__lt=OuterRef("end"),
        end__gt=OuterRef("start"),
    )
    overlap = Q(Exists(this_run))
    if run.starts_at and run.ends_at:
        no_sessions = ~Exists(
            Session.objects.filter(run_id=run.pk, status=Session.Status.SCHEDULED)
        )
        overlap |= Q(no_sessions, start__lt=run.ends_at, end__gt=run.starts_at)
    clash = (
        Session.objects.filter(overlap, status=Session.Status.SCHEDULED)
        .filter(
            run__enrolments__participant=participant,
            run__enrolments__status__in=Enrolment.Status.ACTIVE,
        )
        .exclude(run_id=run.pk)
        .exclude(run__status=CourseRun.Status.CANCELLED)
        .select_related("run__course")
        .order_by("start")
        .first()
    )
    if clash is not None:
        other = clash.run
        raise OverlappingBooking(
            _(
                "Sie sind bereits für „%(run)s“ angemeldet; dessen Termin am %(when)s "
                "überschneidet sich mit diesem Kurs."
            )
            % {"run": other, "when": local_datetime(clash.start)},
            field="run",
            other_run=other.pk,
        )


def _needs_approval(run: CourseRun, business: Business | None, booked_by: User | None) -> bool:
    """Employer approval is asked when the run wants it, the participant has an employer, and the
    booking was not made by a contact of that employer (who is the one who would approve)."""
    if not run.requires_employer_approval or business is None:
        return False
    if booked_by is None:
        return True
    return not Membership.objects.filter(
        user=booked_by, role=Membership.Role.BUSINESS_CONTACT, business=business
    ).exists()


def _hold_fields(now: dt.datetime) -> dict:
    return {
        "status": Enrolment.Status.PENDING,
        "hold_until": now + dt.timedelta(days=settings.BOOKING_APPROVAL_HOLD_DAYS),
        "approval_token": secrets.token_urlsafe(32),
    }


# --- booking ----------------------------------------------------------------------------------


def _lock_participants(participants: list[User]) -> None:
    """The participants' user rows serialise each person's bookings across runs (so that two
    overlapping runs cannot both be booked at once). Taken before the run lock, in id order."""
    ids = sorted(p.pk for p in participants)
    list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


def _check_participant(
    *, run: CourseRun, participant: User, business: Business | None
) -> Business | None:
    """Checks that need no run lock (the participant's lock is held). Returns the business."""
    if not participant.is_active or participant.anonymised_at is not None:
        raise NotEligible(_("Dieses Konto kann nicht gebucht werden."), field="participant")
    if Enrolment.objects.filter(
        run_id=run.pk, participant=participant, status__in=Enrolment.Status.ACTIVE
    ).exists():
        raise AlreadyEnrolled(
            _("%(name)s ist für diesen Kurs bereits angemeldet.")
            % {"name": participant.get_full_name() or participant.email},
            field="participant",
        )
    _check_overlap(run=run, participant=participant)
    if business is None:
        profile = TraineeProfile.objects.filter(user=participant).select_related("business").first()
        business = profile.business if profile else None
    return business


def _check_open(
    run: CourseRun,
    *,
    source: str,
    now: dt.datetime,
    participants: Iterable[User] = (),
    booked_by: User | None = None,
) -> None:
    """The run can be booked now (read under the run lock: a run cancelled meanwhile says no).
    Before the opening, the apps above may let these participants through (signals.early_booking);
    that question is asked only then, so ordinary bookings pay nothing for it."""
    phase = run.booking_phase(now)
    if phase in (BookingPhase.NOT_PUBLISHED, BookingPhase.CANCELLED, BookingPhase.COMPLETED):
        raise BookingClosed(_("Dieser Kurs kann nicht gebucht werden."), field="run")
    if source == Enrolment.Source.STAFF:  # the coordinator may book outside the window
        return
    if phase == BookingPhase.NOT_OPEN and may_book_early(
        run=run, participants=participants, booked_by=booked_by, now=now
    ):
        return
    if phase == BookingPhase.NOT_OPEN:
        raise BookingClosed(
            _("Die Buchung ist erst ab %(date)s möglich.")
            % {"date": local_datetime(run.booking_opens_at)},
            field="run",
        )
    if phase == BookingPhase.CLOSED:
        raise BookingClosed(_("Die Buchungsfrist für diesen Kurs ist abgelaufen."), field="run")


def _create_locked(
    *,
    run: CourseRun,
    participant: User,
    booked_by: User | None,
    business: Business | None,
    source: str,
    now: dt.datetime,
    state: SeatState,
) -> Enrolment:
    """Create the enrolment under the run lock; `state` is updated for the next one (bulk)."""
    position = None
    if state.free > 0:
        if _needs_approval(run, business, booked_by):
            fields = _hold_fields(now)
        else:
            fields = {"status": Enrolment.Status.CONFIRMED, "confirmed_at": now}
        state.free -= 1
    else:
        fields = {"status": Enrolment.Status.WAITLISTED, "waitlist_seq": state.next_seq}
        state.next_seq += 1
        state.waiting += 1
        position = state.waiting
    # No savepoint here (two round trips fewer while every booking of the run waits): the
    # duplicate check already ran under the participant's lock, so the unique constraint is only
    # the last line of defence, and when it fires the whole booking is rolled back anyway.
    try:
        enrolment = Enrolment.objects.create(
            run=run,
            participant=participant,
            participant_name=participant.get_full_name() or participant.email,
            booked_by=booked_by or participant,
            business=business,
            source=source,
            **fields,
        )
    except IntegrityError as exc:
        raise AlreadyEnrolled(_("Diese Anmeldung besteht bereits."), field="participant") from exc

    audit(
        actor=booked_by or participant,
        action="enrolment.created",
        obj=enrolment,
        status=enrolment.status,
    )
    _record("enrolment.created", enrolment, position)
    if enrolment.status == Enrolment.Status.CONFIRMED:
        _record("enrolment.confirmed", enrolment)
        _send_on_commit(enrolment, "confirmation")
    elif enrolment.status == Enrolment.Status.WAITLISTED:
        _send_on_commit(enrolment, "waitlist")
    else:
        _send_on_commit(enrolment, "pending")
        _send_approval_request_on_commit(enrolment)
    return enrolment


def book(
    *,
    run: CourseRun,
    participant: User,
    booked_by: User | None = None,
    business: Business | None = None,
    source: str = "web",
    now: dt.datetime | None = None,
) -> Enrolment:
    """Book a seat: confirmed while seats are free (or pending when the employer must approve),
    otherwise on the waiting list. A full run is not an error.

    Everything that does not depend on the seat count is checked before the run lock, so that
    the section every booking of the run waits for is a handful of short statements."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_participants([participant])
        business = _check_participant(run=run, participant=participant, business=business)
        locked = _lock_run(run)
        _check_open(locked, source=source, now=now, participants=[participant], booked_by=booked_by)
        enrolment = _create_locked(
            run=locked,
            participant=participant,
            booked_by=booked_by,
            business=business,
            source=source,
            now=now,
            state=_seat_state(locked),
        )
        _touch_run(locked)
        return enrolment


def book_many(
    *,
    run: CourseRun,
    participants: Iterable[User],
    booked_by: User,
    business: Business,
    source: str = "web",
    now: dt.datetime | None = None,
) -> list[Enrolment]:
    """A business contact books several of its people in one step: all or nothing, in the given
    order (seats first, then the waiting list). Every participant must belong to the business."""
    now = now or timezone.now()
    participants = list(participants)
    if not participants:
        raise NotEligible(_("Bitte mindestens eine Person auswählen."), field="participants")
    member_ids = set(
        TraineeProfile.objects.filter(business=business, user__in=participants).values_list(
            "user_id", flat=True
        )
    )
    for person in participants:
        if person.pk not in member_ids:
            raise NotEligible(
                _("%(name)s gehört nicht zu Ihrem Betrieb.") % {"name": person},
                field="participants",
            )
    with transaction.atomic():
        _lock_participants(participants)
        for person in participants:
            _check_participant(run=run, participant=person, business=business)
        locked = _lock_run(run)
        _check_open(locked, source=source, now=now, participants=participants, booked_by=booked_by)
        state = _seat_state(locked)
        enrolments = [
            _create_locked(
                run=locked,
                participant=person,
                booked_by=booked_by,
                business=business,
                source=source,
                now=now,
                state=state,
            )
            for person in participants
        ]
        _touch_run(locked)
        return enrolments


# --- cancelling and the waiting list -----------------------------------------------------------


def can_cancel(*, enrolment: Enrolment, actor: User | None, now: dt.datetime | None = None) -> bool:
    """Participant and business until the run's cancellation deadline; after it only the
    coordinator. Leaving the waiting list is always possible: it takes nobody's seat."""
    now = now or timezone.now()
    if enrolment.status not in Enrolment.Status.ACTIVE:
        return False
    if actor is None:  # the system itself (expired holds, account deletion)
        return True
    if not actor.has_perm("courses.cancel_enrolment", enrolment):
        return False
    if (
        enrolment.status == Enrolment.Status.WAITLISTED
        or now <= enrolment.run.cancellation_deadline
    ):
        return True
    return actor.has_perm("courses.cancel_after_deadline", enrolment.run)


def _promote_locked(
    run: CourseRun, *, now: dt.datetime, actor: User | None = None
) -> list[Enrolment]:
    """Fill free seats from the waiting list in order (lowest sequence first).
    The caller holds the run lock."""
    if run.status != CourseRun.Status.PUBLISHED:
        return []
    free = _seat_state(run).free
    if free <= 0:
        return []
    promoted = []
    waiting = list(
        Enrolment.objects.filter(run=run, status=Enrolment.Status.WAITLISTED)
        .select_related("business", "participant")
        .order_by("waitlist_seq")[:free]
    )
    for enrolment in waiting:
        if _needs_approval(run, enrolment.business, enrolment.booked_by):
            for name, value in _hold_fields(now).items():
                setattr(enrolment, name, value)
        else:
            enrolment.status = Enrolment.Status.CONFIRMED
            enrolment.confirmed_at = now
        enrolment.save(
            update_fields=["status", "confirmed_at", "hold_until", "approval_token", "updated_at"]
        )
        audit(actor=actor, action="enrolment.promoted", obj=enrolment, status=enrolment.status)
        if enrolment.status == Enrolment.Status.CONFIRMED:
            _record("enrolment.confirmed", enrolment)
            _send_on_commit(enrolment, "promotion")
        else:
            _send_on_commit(enrolment, "pending")
            _send_approval_request_on_commit(enrolment)
        promoted.append(enrolment)
    return promoted


def promote_waiting(run: CourseRun, *, actor: User | None = None, now=None) -> list[Enrolment]:
    """Seats freed up (more capacity, repaired equipment): move the first waiting up, at once."""
    with transaction.atomic():
        locked = _lock_run(run)
        promoted = _promote_locked(locked, now=now or timezone.now(), actor=actor)
        if promoted:
            _touch_run(locked)
        return promoted


def _cancel_locked(
    enrolment: Enrolment, *, actor: User | None, reason: str, now: dt.datetime, notify: bool = True
) -> Enrolment:
    previous = enrolment.status
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.cancelled_at = now
    enrolment.cancel_reason = reason[:200]
    enrolment.hold_until = None
    enrolment.save(
        update_fields=["status", "cancelled_at", "cancel_reason", "hold_until", "updated_at"]
    )
    audit(
        actor=actor, action="enrolment.cancelled", obj=enrolment, previous=previous, reason=reason
    )
    _record("enrolment.cancelled", enrolment)
    if notify:
        _send_on_commit(enrolment, "cancellation")
    return enrolment


def cancel(
    *, enrolment: Enrolment, actor: User | None, reason: str = "", now: dt.datetime | None = None
) -> Enrolment:
    """Cancel an enrolment (deadline rules in `can_cancel`); a freed seat goes to the first
    on the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        run = _lock_run(enrolment.run_id)
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("business")
            .get(pk=enrolment.pk)
        )
        enrolment.run = run
        if enrolment.status not in Enrolment.Status.ACTIVE:
            raise CancellationNotAllowed(
                _("Diese Anmeldung ist nicht mehr aktiv (%(status)s).")
                % {"status": enrolment.get_status_display()},
                field="enrolment",
            )
        if not can_cancel(enrolment=enrolment, actor=actor, now=now):
            raise CancellationNotAllowed(
                _(
                    "Die Stornierungsfrist ist am %(date)s abgelaufen. Bitte wenden Sie sich "
                    "an die Koordination der Schule."
                )
                % {"date": local_datetime(run.cancellation_deadline)},
                field="enrolment",
            )
        freed_seat = enrolment.status in Enrolment.Status.SEAT_HOLDING
        _cancel_locked(enrolment, actor=actor, reason=reason, now=now)
        if freed_seat:
            _promote_locked(run, now=now, actor=actor)
        _touch_run(run)
        return enrolment


def cancel_run(*, run: CourseRun, actor: User | None, reason: str, now=None) -> CourseRun:
    """A coordinator calls off a whole run: every active enrolment is cancelled and told, the
    sessions are cancelled (their iCal SEQUENCE bumped), and each chamber involved hears of it."""
    now = now or timezone.now()
    with transaction.atomic():
        run = _lock_run(run)
        if run.status in (CourseRun.Status.CANCELLED, CourseRun.Status.COMPLETED):
            raise CancellationNotAllowed(_("Dieser Kurs ist bereits abgeschlossen oder abgesagt."))
        run.status = CourseRun.Status.CANCELLED
        run.cancelled_at = now
        run.cancel_reason = reason
        run.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
        for session in run.sessions.filter(status=Session.Status.SCHEDULED):
            session.status = Session.Status.CANCELLED
            session.sequence += 1
            session.save(update_fields=["status", "sequence", "updated_at"])
        enrolments = list(
            Enrolment.objects.select_for_update(of=("self",))
            .filter(run=run, status__in=Enrolment.Status.ACTIVE)
            .select_related("business")
        )
        chambers = set()
        for enrolment in enrolments:
            _cancel_locked(enrolment, actor=actor, reason=reason or _("Kurs abgesagt"), now=now)
            chambers.add(_chamber_id(enrolment))
        audit(
            actor=actor, action="run.cancelled", obj=run, reason=reason, enrolments=len(enrolments)
        )
        from core.events import record_event

        payload = {"id": run.pk, "course": run.course_id, "status": run.status, "reason": reason}
        for chamber_id in sorted(chambers, key=lambda c: (c is None, c)) or [None]:
            record_event(type="run.cancelled", payload=payload, chamber_id=chamber_id)
        return run


# --- employer approval -------------------------------------------------------------------------


def _pending_by_token(token: str) -> Enrolment:
    enrolment = (
        Enrolment.objects.filter(approval_token=token)
        .exclude(approval_token="")
        .only("pk", "run_id")
        .first()
    )
    if enrolment is None:
        raise ApprovalError(_("Dieser Freigabe-Link ist ungültig."), field="token")
    return enrolment


def _check_pending(enrolment: Enrolment, now: dt.datetime) -> None:
    if enrolment.status != Enrolment.Status.PENDING:
        raise ApprovalError(
            _("Über diese Anmeldung wurde bereits entschieden (%(status)s).")
            % {"status": enrolment.get_status_display()},
            field="token",
        )
    if enrolment.hold_until and enrolment.hold_until < now:
        raise ApprovalError(_("Die Frist für die Freigabe ist abgelaufen."), field="token")


def approve(*, token: str, actor: User, now=None) -> Enrolment:
    """The employer approves: the held seat becomes a confirmed booking."""
    now = now or timezone.now()
    with transaction.atomic():
        found = _pending_by_token(token)
        run = _lock_run(found.run_id)
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("business")
            .get(pk=found.pk)
        )
        if not actor.has_perm("courses.approve_enrolment", enrolment):
            raise ApprovalError(_("Sie dürfen diese Anmeldung nicht freigeben."), field="token")
        _check_pending(enrolment, now)
        enrolment.status = Enrolment.Status.CONFIRMED
        enrolment.confirmed_at = now
        enrolment.hold_until = None
        enrolment.save(update_fields=["status", "confirmed_at", "hold_until", "updated_at"])
        _touch_run(run)
        audit(actor=actor, action="enrolment.approved", obj=enrolment)
        _record("enrolment.confirmed", enrolment)
        _send_on_commit(enrolment, "confirmation")
        return enrolment


def decline(*, token: str, actor: User, reason: str = "", now=None) -> Enrolment:
    """The employer declines: the enrolment is cancelled and the seat goes to the first waiting."""
    now = now or timezone.now()
    with transaction.atomic():
        found = _pending_by_token(token)
        run = _lock_run(found.run_id)
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("business")
            .get(pk=found.pk)
        )
        if not actor.has_perm("courses.approve_enrolment", enrolment):
            raise ApprovalError(_("Sie dürfen diese Anmeldung nicht ablehnen."), field="token")
        _check_pending(enrolment, now)
        _cancel_locked(
            enrolment, actor=actor, reason=reason or _("Vom Arbeitgeber abgelehnt"), now=now
        )
        _promote_locked(run, now=now, actor=actor)
        _touch_run(run)
        return enrolment


def release_expired_holds(*, now=None) -> int:
    """Holds whose approval did not come in time are released and the next waiting promoted.
    Idempotent: an already released hold is no longer pending."""
    now = now or timezone.now()
    run_ids = set(
        Enrolment.objects.filter(status=Enrolment.Status.PENDING, hold_until__lt=now).values_list(
            "run_id", flat=True
        )
    )
    released = 0
    for run_id in sorted(run_ids):
        with transaction.atomic():
            run = _lock_run(run_id)
            expired = list(
                Enrolment.objects.select_for_update(of=("self",))
                .filter(run=run, status=Enrolment.Status.PENDING, hold_until__lt=now)
                .select_related("business")
            )
            for enrolment in expired:
                _cancel_locked(
                    enrolment, actor=None, reason=_("Freigabe nicht rechtzeitig erteilt"), now=now
                )
            released += len(expired)
            _promote_locked(run, now=now)
            if expired:
                _touch_run(run)
    return released


def promote_all_waiting(
    *, workshop_id: int | None = None, run_id: int | None = None, now=None
) -> int:
    """Safety net and hook for changes outside this module (capacity raised, equipment repaired):
    promote on every published run with a waiting list and free seats."""
    now = now or timezone.now()
    qs = CourseRun.objects.filter(
        status=CourseRun.Status.PUBLISHED, enrolments__status=Enrolment.Status.WAITLISTED
    )
    if workshop_id is not None:
        qs = qs.filter(workshop_id=workshop_id)
    if run_id is not None:
        qs = qs.filter(pk=run_id)
    candidates = with_seats(CourseRun.objects.filter(pk__in=qs.values("pk"))).filter(
        seats_left__gt=0
    )
    count = 0
    for run_id in candidates.values_list("pk", flat=True):
        count += len(promote_waiting(run_id, now=now))
    return count
