"""Booking: one person books a seat, or a business contact books several of its people.

Everything that does not depend on the seat count is checked before the run lock, so that the
section every booking of the run waits for is three round trips: the lock with the seat count, the
rows of the booking (enrolment, audit entry, events, e-mail, the run's updated_at) and the commit
(core.roundtrip; lock order: the participants' user rows, then the run; see `seats`)."""

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.formatting import local_datetime
from core.roundtrip import RoundTrip
from people.models import Business, Employment, User

from ...errors import AlreadyEnrolled, BookingClosed, NotEligible, RequirementsNotConfirmed
from ...models import BookingPhase, CourseRun, Enrolment
from ...selectors_resources import lacking_briefing
from ...signals import may_book_early
from .eligibility import check_participant
from .holds import hold_fields, needs_approval
from .notify import record, record_many, send_approval_request_on_commit, send_on_commit
from .seats import SeatState, lock_participants, lock_run_for_seats, touch_run


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


def _write(writes: RoundTrip, *, last: bool = False) -> None:
    # No savepoint (two round trips fewer while every booking of the run waits): the duplicate
    # check already ran under the participant's lock, so the unique constraint is only the last
    # line of defence, and when it fires the whole booking is rolled back anyway. `last`: the
    # commit goes with the rows (core.roundtrip), which releases the run lock a round trip
    # earlier.
    try:
        writes.run(last=last)
    except IntegrityError as exc:
        raise AlreadyEnrolled(_("Diese Anmeldung besteht bereits."), field="participant") from exc


def _create_locked(
    *,
    run: CourseRun,
    participant: User,
    booked_by: User | None,
    business: Business | None,
    source: str,
    now: dt.datetime,
    state: SeatState,
    ids: list[int],
    writes: RoundTrip,
    briefing_needed: bool = False,
    requirements_confirmed: bool = False,
) -> Enrolment:
    """The enrolment under the run lock, and its audit, event and e-mail rows, added to `writes`
    (the caller runs it): one round trip where `ids` holds a reserved id for it (taken from the
    list), else the enrolment is inserted first for its id. `state` is updated for the next one
    (bulk)."""
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
    enrolment = Enrolment(
        pk=ids.pop(0) if ids else None,
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
    writes.insert(enrolment)
    if enrolment.pk is None:  # no id reserved: the rows below name the enrolment
        _write(writes)
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
        into=writes,
    )
    if enrolment.status == Enrolment.Status.CONFIRMED:
        record_many(["enrolment.created", "enrolment.confirmed"], enrolment, position, into=writes)
        send_on_commit(enrolment, "confirmation", into=writes)
    elif enrolment.status == Enrolment.Status.WAITLISTED:
        record("enrolment.created", enrolment, position, into=writes)
        send_on_commit(enrolment, "waitlist", position=position, into=writes)
    else:
        record("enrolment.created", enrolment, position, into=writes)
        send_on_commit(enrolment, "pending", into=writes)
        send_approval_request_on_commit(enrolment, into=writes)
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
    with transaction.atomic():
        # Run twice: the person's lock with the checks on them, then the booking's rows.
        trip = RoundTrip(router.db_for_write(Enrolment))
        lock_participants([participant], into=trip)
        facts, business = check_participant(
            run=run,
            participant=participant,
            business=business,
            by_other=booked_by is not None and booked_by.pk != participant.pk,
            verified_email=source == Enrolment.Source.WEB,
            after=trip,
        )
        unbriefed = lacking_briefing(run, [participant.pk]) if facts.briefing_to_check else ()
        locked, state, ids = lock_run_for_seats(run, new_enrolments=1)
        _check_open(locked, source=source, now=now, participants=[participant], booked_by=booked_by)
        enrolment = _create_locked(
            run=locked,
            participant=participant,
            booked_by=booked_by,
            business=business,
            source=source,
            now=now,
            state=state,
            ids=ids,
            writes=trip,
            briefing_needed=participant.pk in unbriefed,
            requirements_confirmed=store_confirmation,
        )
        touch_run(locked, into=trip)
        _write(trip, last=True)
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
        trip = RoundTrip(router.db_for_write(Enrolment))
        lock_participants(participants, into=trip)
        facts = [
            check_participant(
                run=run, participant=person, business=business, by_other=True, after=trip
            )[0]
            for person in participants
        ]
        unbriefed = ()
        if facts[0].briefing_to_check:  # a question about the course: the same for everyone
            unbriefed = lacking_briefing(run, [person.pk for person in participants])
        locked, state, ids = lock_run_for_seats(run, new_enrolments=len(participants))
        _check_open(locked, source=source, now=now, participants=participants, booked_by=booked_by)
        enrolments = [
            _create_locked(
                run=locked,
                participant=person,
                booked_by=booked_by,
                business=business,
                source=source,
                now=now,
                state=state,
                ids=ids,
                writes=trip,
                briefing_needed=person.pk in unbriefed,
                requirements_confirmed=store_confirmation,
            )
            for person in participants
        ]
        touch_run(locked, into=trip)
        _write(trip, last=True)
        return enrolments
