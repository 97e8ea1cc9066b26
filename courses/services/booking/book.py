"""Booking: one person books a seat, or a business contact books several of its people.

Everything that does not depend on the seat count is checked before the run lock, so that the
section every booking of the run waits for is a handful of short statements (lock order: the
participants' user rows, then the run; see `seats`)."""

import datetime as dt
from collections.abc import Iterable

from allauth.account.utils import has_verified_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.formatting import local_datetime
from people.models import Business, Employment, User
from people.selectors import confirmed_employer

from ...errors import (
    AlreadyEnrolled,
    BookingClosed,
    EmailNotVerified,
    NotEligible,
    OverlappingBooking,
    RequirementsNotConfirmed,
)
from ...models import BookingPhase, CourseRun, Enrolment, Session
from ...selectors_resources import lacking_briefing
from ...signals import may_book_early
from .holds import hold_fields, needs_approval
from .notify import record, record_many, send_approval_request_on_commit, send_on_commit
from .seats import SeatState, lock_participants, lock_run, seat_state, touch_run


def check_overlap(
    *, run: CourseRun, participant: User, leaving_run_id: int | None = None, by_other: bool = False
) -> None:
    """No active enrolment of the participant in another run whose sessions overlap this run's
    (one query; a run without sessions yet is compared by its first and last date). A run the
    person is being moved out of (`leaving_run_id`) does not count. `by_other`: someone else
    books for the participant, so the message names the person instead of saying "you"."""
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
        .exclude(run_id__in=[run.pk, leaving_run_id or run.pk])
        .exclude(run__status=CourseRun.Status.CANCELLED)
        .select_related("run__course")
        .order_by("start")
        .first()
    )
    if clash is not None:
        other = clash.run
        if by_other:
            text = _(
                "%(name)s ist bereits für „%(run)s“ angemeldet; dessen Termin am %(when)s "
                "überschneidet sich mit diesem Kurs."
            )
        else:
            text = _(
                "Sie sind bereits für „%(run)s“ angemeldet; dessen Termin am %(when)s "
                "überschneidet sich mit diesem Kurs."
            )
        raise OverlappingBooking(
            text
            % {
                "run": other,
                "when": local_datetime(clash.start),
                "name": participant.get_full_name() or participant.email,
            },
            field="run",
            other_run=other.pk,
        )


def _check_verified(participant: User) -> None:
    """Who books themself on the web must have confirmed their e-mail address: confirmations,
    reminders and cancellations of the course go there."""
    if not has_verified_email(participant):
        raise EmailNotVerified(
            _("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse, dann können Sie buchen."),
            field="participant",
        )


def _check_requirements(*, run: CourseRun, confirmed: bool, source: str) -> bool:
    """A course that names its target group or prerequisites is booked only by someone who
    confirms meeting them (web, business and chamber API alike); the school's own hand booking
    has checked them on the phone. Returns whether the confirmation is to be stored."""
    if not run.course.asks_requirements or source == Enrolment.Source.STAFF:
        return False
    if not confirmed:
        raise RequirementsNotConfirmed(
            _(
                "Bitte bestätigen Sie, dass die Zielgruppe und die Voraussetzungen des Kurses "
                "erfüllt sind."
            ),
            field="requirements_confirmed",
        )
    return True


def _check_participant(
    *, run: CourseRun, participant: User, business: Business | None, by_other: bool = False
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
    check_overlap(run=run, participant=participant, by_other=by_other)
    # Only a confirmed employment lets a business pay (read under the participant's lock, which
    # people.services.employment takes too): until then the person books as a private person.
    employer = confirmed_employer(participant)
    if business is not None and (employer is None or employer.pk != business.pk):
        raise NotEligible(
            _("%(name)s ist bei diesem Betrieb nicht als beschäftigt bestätigt.")
            % {"name": participant.get_full_name() or participant.email},
            field="participant",
        )
    return employer


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
    if phase in BookingPhase.UNBOOKABLE:
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
    briefing_needed: bool = False,
    requirements_confirmed: bool = False,
) -> Enrolment:
    """Create the enrolment under the run lock; `state` is updated for the next one (bulk)."""
    position, approval_token = None, ""
    if state.free > 0:
        if needs_approval(run, business, booked_by):
            fields, approval_token = hold_fields(now, run)
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
            briefing_needed=briefing_needed,
            requirements_confirmed_at=now if requirements_confirmed else None,
            **fields,
        )
    except IntegrityError as exc:
        raise AlreadyEnrolled(_("Diese Anmeldung besteht bereits."), field="participant") from exc
    enrolment.approval_token = approval_token
    # The place on the waiting list as booked, known exactly under the lock: the e-mail and the
    # confirmation page say it without counting again after the commit (a database gone by then
    # must not turn a booking into an error).
    enrolment.booked_position = position

    audit(
        actor=booked_by or participant,
        action="enrolment.created",
        obj=enrolment,
        status=enrolment.status,
    )
    if enrolment.status == Enrolment.Status.CONFIRMED:
        record_many(["enrolment.created", "enrolment.confirmed"], enrolment, position)
        send_on_commit(enrolment, "confirmation")
    elif enrolment.status == Enrolment.Status.WAITLISTED:
        record("enrolment.created", enrolment, position)
        send_on_commit(enrolment, "waitlist", position=position)
    else:
        record("enrolment.created", enrolment, position)
        send_on_commit(enrolment, "pending")
        send_approval_request_on_commit(enrolment)
    return enrolment


def book(
    *,
    run: CourseRun,
    participant: User,
    booked_by: User | None = None,
    business: Business | None = None,
    source: str = Enrolment.Source.WEB,
    now: dt.datetime | None = None,
    requirements_confirmed: bool = False,
) -> Enrolment:
    """Book a seat: confirmed while seats are free (or pending when the employer must approve),
    otherwise on the waiting list. A full run is not an error.

    A web booking needs the participant's verified e-mail address (EmailNotVerified); bookings
    by the chamber API and by the school's coordinators do not. A course naming its target group
    or prerequisites needs `requirements_confirmed` (RequirementsNotConfirmed otherwise); the
    time of the confirmation is stored on the enrolment."""
    now = now or timezone.now()
    store_confirmation = _check_requirements(
        run=run, confirmed=requirements_confirmed, source=source
    )
    if source == Enrolment.Source.WEB:
        _check_verified(participant)
    with transaction.atomic():
        lock_participants([participant])
        business = _check_participant(
            run=run,
            participant=participant,
            business=business,
            by_other=booked_by is not None and booked_by.pk != participant.pk,
        )
        unbriefed = lacking_briefing(run, [participant.pk])
        locked = lock_run(run)
        _check_open(locked, source=source, now=now, participants=[participant], booked_by=booked_by)
        enrolment = _create_locked(
            run=locked,
            participant=participant,
            booked_by=booked_by,
            business=business,
            source=source,
            now=now,
            state=seat_state(locked),
            briefing_needed=participant.pk in unbriefed,
            requirements_confirmed=store_confirmation,
        )
        touch_run(locked)
        return enrolment


def book_many(
    *,
    run: CourseRun,
    participants: Iterable[User],
    booked_by: User,
    business: Business,
    source: str = Enrolment.Source.WEB,
    now: dt.datetime | None = None,
    requirements_confirmed: bool = False,
) -> list[Enrolment]:
    """A business contact books several of its people in one step: all or nothing, in the given
    order (seats first, then the waiting list). Every participant must belong to the business.
    The contact books for them, so their own e-mail addresses need not be verified; the contact
    confirms the course's target group and prerequisites for them (see `book`)."""
    now = now or timezone.now()
    participants = list(participants)
    if not participants:
        raise NotEligible(_("Bitte mindestens eine Person auswählen."), field="participants")
    member_ids = set(
        Employment.objects.filter(
            business=business, status=Employment.Status.CONFIRMED, user__in=participants
        ).values_list("user_id", flat=True)
    )
    for person in participants:
        if person.pk not in member_ids:
            raise NotEligible(
                _("%(name)s gehört nicht zu Ihrem Betrieb.") % {"name": person},
                field="participants",
            )
    store_confirmation = _check_requirements(
        run=run, confirmed=requirements_confirmed, source=source
    )
    with transaction.atomic():
        lock_participants(participants)
        for person in participants:
            _check_participant(run=run, participant=person, business=business, by_other=True)
        unbriefed = lacking_briefing(run, [person.pk for person in participants])
        locked = lock_run(run)
        _check_open(locked, source=source, now=now, participants=participants, booked_by=booked_by)
        state = seat_state(locked)
        enrolments = [
            _create_locked(
                run=locked,
                participant=person,
                booked_by=booked_by,
                business=business,
                source=source,
                now=now,
                state=state,
                briefing_needed=person.pk in unbriefed,
                requirements_confirmed=store_confirmation,
            )
            for person in participants
        ]
        touch_run(locked)
        return enrolments
