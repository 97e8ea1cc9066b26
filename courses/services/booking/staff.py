"""What the school's coordinators do with the participants of a run: book someone by hand (a phone
call, a paper form), move a booking to another run of the same course, give a waiting person a
free seat, and cancel for someone (after the deadline too, with a reason).

Every function checks `courses.manage_participants` on the run(s) it touches (the school's
coordinators and district admins; an instructor only sees the list) and raises
core.errors.PermissionDenied otherwise. Lock order as everywhere: the participant's user row,
then the runs (two runs in id order), then the enrolment."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput, PermissionDenied
from core.services.outbox import enqueue_email
from people.models import User
from people.services.accounts import participant_account

from ...emails import moved_email
from ...errors import AlreadyEnrolled, BookingClosed, MoveNotAllowed, NotWaiting, RunFull
from ...models import BookingPhase, CourseRun, Enrolment
from ...selectors_resources import lacking_briefing
from .book import book
from .cancel import cancel, cancel_locked
from .eligibility import check_overlap
from .holds import hold_fields, needs_approval
from .notify import record, send_approval_request_on_commit
from .seats import lock_participants, lock_run, seat_state, touch_run
from .waitlist import promote_locked, promote_one_locked

REASON_MAX = 200


def _check_manager(actor: User, run: CourseRun) -> None:
    if not actor.has_perm("courses.manage_participants", run):
        raise PermissionDenied(
            _("Nur die Koordination der Schule darf Teilnehmende dieses Kurses ändern."),
            field="run",
        )


def book_by_hand(
    *,
    run: CourseRun,
    actor: User,
    email: str,
    first_name: str = "",
    last_name: str = "",
    language: str = "",
    now: dt.datetime | None = None,
) -> tuple[Enrolment, bool]:
    """Book the person with this e-mail address (a new private participant when no account has
    it; the account gets an e-mail saying how to set a password). Source "staff": outside the
    booking window too, but never beyond the seats: a full run puts the person on the waiting
    list. Returns (enrolment, account created). All or nothing: a refused booking leaves no
    new account behind."""
    _check_manager(actor, run)
    with transaction.atomic():
        person, created = participant_account(
            email=email,
            first_name=first_name,
            last_name=last_name,
            language=language,
            actor=actor,
            invited_by=run.school.name,
        )
        enrolment = book(
            run=run, participant=person, booked_by=actor, source=Enrolment.Source.STAFF, now=now
        )
    return enrolment, created


def _lock_pair(enrolment: Enrolment, target: CourseRun) -> tuple[CourseRun, CourseRun]:
    ids = sorted({enrolment.run_id, target.pk})
    locked = {pk: lock_run(pk) for pk in ids}
    return locked[enrolment.run_id], locked[target.pk]


def _check_move(enrolment: Enrolment, *, old: CourseRun, new: CourseRun, now: dt.datetime):
    if enrolment.status not in Enrolment.Status.ACTIVE or enrolment.participant is None:
        raise MoveNotAllowed(
            _("Diese Anmeldung ist nicht mehr aktiv (%(status)s).")
            % {"status": enrolment.get_status_display()},
            field="enrolment",
        )
    if new.pk == old.pk:
        raise MoveNotAllowed(_("Bitte einen anderen Termin wählen."), field="target")
    if new.course_id != old.course_id:
        raise MoveNotAllowed(
            _("Umbuchen geht nur auf einen Termin desselben Kurses."), field="target"
        )
    if new.booking_phase(now) in BookingPhase.UNBOOKABLE:
        raise BookingClosed(
            _("Der gewählte Termin ist nicht veröffentlicht, abgesagt oder beendet."),
            field="target",
        )
    if new.starts_at is not None and new.starts_at <= now:
        raise BookingClosed(_("Der gewählte Termin hat schon begonnen."), field="target")


def move(
    *, enrolment: Enrolment, target: CourseRun, actor: User, now: dt.datetime | None = None
) -> Enrolment:
    """Move a booking to another run of the same course: the seat in the target run is taken
    under its lock (RunFull when there is none), the old enrolment is cancelled and its seat goes
    to the old run's waiting list as on a cancellation. One e-mail names the new dates (with
    calendar updates for both runs). Returns the new enrolment."""
    now = now or timezone.now()
    _check_manager(actor, enrolment.run)
    _check_manager(actor, target)
    with transaction.atomic():
        if enrolment.participant_id:
            lock_participants([enrolment.participant])
        old_run, new_run = _lock_pair(enrolment, target)
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("business", "participant", "booked_by")
            .get(pk=enrolment.pk)
        )
        enrolment.run = old_run
        _check_move(enrolment, old=old_run, new=new_run, now=now)
        participant = enrolment.participant
        if Enrolment.objects.filter(
            run=new_run, participant=participant, status__in=Enrolment.Status.ACTIVE
        ).exists():
            raise AlreadyEnrolled(
                _("%(name)s ist für den gewählten Termin bereits angemeldet.")
                % {"name": participant},
                field="target",
            )
        check_overlap(
            run=new_run, participant=participant, leaving_run_id=old_run.pk, by_other=True
        )
        if seat_state(new_run).free <= 0:
            raise RunFull(
                _("Der gewählte Termin ist ausgebucht; %(name)s bleibt angemeldet wie bisher.")
                % {"name": participant},
                field="target",
            )
        previous = enrolment.status
        cancel_locked(
            enrolment,
            actor=actor,
            reason=_("Umgebucht auf %(run)s") % {"run": new_run},
            now=now,
            notify=False,
        )
        fields = {"status": Enrolment.Status.CONFIRMED, "confirmed_at": now}
        token = ""
        # A booking still waiting for the employer's approval stays so in the new run.
        if previous == Enrolment.Status.PENDING and needs_approval(
            new_run, enrolment.business, enrolment.booked_by
        ):
            fields, token = hold_fields(now, new_run)
        moved = Enrolment.objects.create(
            run=new_run,
            participant=participant,
            participant_name=enrolment.participant_name,
            booked_by=enrolment.booked_by,
            business=enrolment.business,
            source=Enrolment.Source.STAFF,
            briefing_needed=bool(lacking_briefing(new_run, [participant.pk])),
            **fields,
        )
        moved.approval_token = token
        audit(
            actor=actor,
            action="enrolment.moved",
            obj=moved,
            from_enrolment=enrolment.pk,
            from_run=old_run.pk,
            to_run=new_run.pk,
            previous=previous,
        )
        record("enrolment.created", moved)
        if moved.status == Enrolment.Status.CONFIRMED:
            record("enrolment.confirmed", moved)
        else:
            send_approval_request_on_commit(moved)
        message = moved_email(enrolment, moved)
        if message is not None:
            enqueue_email(message)
        if previous in Enrolment.Status.SEAT_HOLDING:
            promote_locked(old_run, now=now, actor=actor)
        touch_run(old_run)
        touch_run(new_run)
        return moved


def promote(*, enrolment: Enrolment, actor: User, now: dt.datetime | None = None) -> Enrolment:
    """Give a waiting person a free seat now, whatever their place in the queue (the coordinator
    decides). RunFull when no seat is free, NotWaiting when they are not on the waiting list."""
    now = now or timezone.now()
    _check_manager(actor, enrolment.run)
    with transaction.atomic():
        run = lock_run(enrolment.run_id)
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("business", "participant", "booked_by")
            .get(pk=enrolment.pk)
        )
        enrolment.run = run
        if enrolment.status != Enrolment.Status.WAITLISTED:
            raise NotWaiting(
                _("%(name)s steht nicht auf der Warteliste (%(status)s).")
                % {"name": enrolment.participant_name, "status": enrolment.get_status_display()},
                field="enrolment",
            )
        if run.status in CourseRun.Status.ENDED:
            raise BookingClosed(_("Der Kurs ist abgesagt oder beendet."), field="enrolment")
        if seat_state(run).free <= 0:
            raise RunFull(
                _("Es ist kein Platz frei. Erhöhen Sie die Kapazität oder buchen Sie um."),
                field="enrolment",
            )
        promote_one_locked(enrolment, run=run, now=now, actor=actor)
        touch_run(run)
        return enrolment


def cancel_for(
    *, enrolment: Enrolment, actor: User, reason: str = "", now: dt.datetime | None = None
) -> Enrolment:
    """The coordinator cancels a booking (also after the participant's cancellation deadline) or
    takes someone off the waiting list. Giving up a seat needs a reason: it is kept in the audit
    and named in the e-mail to the participant."""
    _check_manager(actor, enrolment.run)
    reason = " ".join(reason.split())
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            _("Der Grund darf höchstens %(n)s Zeichen lang sein.") % {"n": REASON_MAX},
            field="reason",
        )
    if enrolment.status in Enrolment.Status.SEAT_HOLDING and not reason:
        raise InvalidInput(_("Bitte einen Grund für die Stornierung angeben."), field="reason")
    return cancel(enrolment=enrolment, actor=actor, reason=reason, now=now)
