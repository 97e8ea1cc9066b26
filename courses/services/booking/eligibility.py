"""Who may be booked into a run: the checks that need no run lock, answered in one statement.

Under the participant's lock (see `seats`) one precompiled query answers every question about the
person at once: is the e-mail address verified, is the person already enrolled, which session of
another run of theirs overlaps this run, which business employs them by a confirmed link, and
does the course use a machine that requires a safety briefing. Web, business, chamber API and
staff bookings all check through here, so the rules and their messages live in one place."""

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import router
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from core.formatting import local_datetime
from core.precompiled import Placeholders, Precompiled
from core.roundtrip import RoundTrip
from people.models import Business, User
from people.selectors import confirmed_employment

from ...errors import AlreadyEnrolled, EmailNotVerified, NotEligible, OverlappingBooking
from ...models import CourseEquipment, CourseRun, Enrolment, Session

SCHEDULED = Session.Status.SCHEDULED


def overlapping_sessions(
    *,
    run_id: int,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    participant_id: int,
    leaving_run_id: int,
) -> QuerySet[Session]:
    """Sessions of the participant's other active runs (not cancelled, not `leaving_run_id`)
    that overlap a scheduled session of this run, earliest first; a run without sessions yet is
    compared by its first and last date."""
    this_run = Session.objects.filter(
        run_id=run_id, status=SCHEDULED, start__lt=OuterRef("end"), end__gt=OuterRef("start")
    )
    overlap = Q(Exists(this_run))
    if starts_at and ends_at:
        no_sessions = ~Exists(Session.objects.filter(run_id=run_id, status=SCHEDULED))
        overlap |= Q(no_sessions, start__lt=ends_at, end__gt=starts_at)
    return (
        Session.objects.filter(overlap, status=SCHEDULED)
        .filter(
            run__enrolments__participant_id=participant_id,
            run__enrolments__status__in=Enrolment.Status.ACTIVE,
        )
        .exclude(run_id__in=[run_id, leaving_run_id])
        .exclude(run__status=CourseRun.Status.CANCELLED)
        .order_by("start")
    )


def _facts_query(p: Placeholders, alias: str, dated: bool) -> QuerySet:
    participant = p.id("participant")
    employment = confirmed_employment(participant)
    return (
        User.objects.using(alias)
        .filter(pk=participant)
        .annotate(
            # allauth's rule (account.utils.has_verified_email): any verified address counts.
            verified=Exists(EmailAddress.objects.filter(user_id=participant, verified=True)),
            enrolled=Exists(
                Enrolment.objects.filter(
                    run_id=p.id("run"),
                    participant_id=participant,
                    status__in=Enrolment.Status.ACTIVE,
                )
            ),
            clash_id=Subquery(
                overlapping_sessions(
                    run_id=p.id("run"),
                    starts_at=p.datetime("starts") if dated else None,
                    ends_at=p.datetime("ends") if dated else None,
                    participant_id=participant,
                    leaving_run_id=p.id("leaving_run"),
                ).values("pk")[:1]
            ),
            employer_id=Subquery(employment.values("business_id")[:1]),
            # Without a machine that requires a briefing nobody lacks one (no further query).
            briefing_to_check=Exists(
                CourseEquipment.objects.filter(
                    course_id=p.id("course"), equipment_type__requires_briefing=True
                )
            ),
        )
        .values_list(
            "verified",
            "enrolled",
            "clash_id",
            "employer_id",
            "briefing_to_check",
        )
    )


_facts = Precompiled(_facts_query, prepared=True)
_BUSINESS_FIELDS = [f.attname for f in Business._meta.concrete_fields]


def _employer_query(p: Placeholders, alias: str, _shape) -> QuerySet:
    employment = confirmed_employment(p.id("participant")).values("business_id")[:1]
    return (
        Business.objects.using(alias).filter(pk=Subquery(employment)).values_list(*_BUSINESS_FIELDS)
    )


# The business that pays for a person booking themself: asked with the facts, not after them.
_employer = Precompiled(_employer_query, prepared=True)


@dataclass(frozen=True)
class Facts:
    verified: bool
    enrolled: bool
    clash_id: int | None  # the earliest overlapping session of another run of theirs
    employer_id: int | None  # the business of the confirmed employment
    briefing_to_check: bool
    employer: Business | None = None  # that business, when asked for (`with_employer`)


def facts_about(
    *,
    run: CourseRun,
    participant: User,
    leaving_run_id: int | None = None,
    after: RoundTrip | None = None,
    with_employer: bool = False,
) -> Facts:
    """Everything the checks below ask about the person, in one statement (and the employer's
    row in a second, `with_employer`); sent in the round trip `after` when given, behind its
    statements (the participant's lock)."""
    # Read under the lock, in the booking's transaction.
    trip = after or RoundTrip(router.db_for_write(Enrolment))
    dated = bool(run.starts_at and run.ends_at)
    values = {
        "run": run.pk,
        "participant": participant.pk,
        "course": run.course_id,
        "leaving_run": leaving_run_id or run.pk,
    }
    if dated:
        values |= {"starts": run.starts_at, "ends": run.ends_at}
    rows = trip.rows(_facts, dated, **values)
    employers = trip.rows(_employer, None, participant=participant.pk) if with_employer else []
    trip.run()
    if not rows:  # the account is gone
        raise NotEligible(_("Dieses Konto kann nicht gebucht werden."), field="participant")
    verified, enrolled, clash_id, employer_id, briefing = rows[0]
    alias = trip.alias
    return Facts(
        verified=bool(verified),
        enrolled=bool(enrolled),
        clash_id=clash_id,
        employer_id=employer_id,
        briefing_to_check=bool(briefing),
        employer=Business.from_db(alias, _BUSINESS_FIELDS, employers[0]) if employers else None,
    )


def _name(participant: User) -> str:
    return participant.get_full_name() or participant.email


def raise_clash(clash_id: int | None, *, participant: User, by_other: bool) -> None:
    """OverlappingBooking naming the other run and the clashing session's time, if any.
    `by_other`: someone else books for the participant, so the message names the person."""
    if clash_id is None:
        return
    clash = Session.objects.select_related("run__course").get(pk=clash_id)
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
        text % {"run": other, "when": local_datetime(clash.start), "name": _name(participant)},
        field="run",
        other_run=other.pk,
    )


def check_overlap(
    *, run: CourseRun, participant: User, leaving_run_id: int | None = None, by_other: bool = False
) -> None:
    """No active enrolment of the participant in another run whose sessions overlap this run's.
    A run the person is being moved out of (`leaving_run_id`) does not count."""
    facts = facts_about(run=run, participant=participant, leaving_run_id=leaving_run_id)
    raise_clash(facts.clash_id, participant=participant, by_other=by_other)


def check_participant(
    *,
    run: CourseRun,
    participant: User,
    business: Business | None,
    by_other: bool = False,
    verified_email: bool = False,
    after: RoundTrip | None = None,
) -> tuple[Facts, Business | None]:
    """The checks that need no run lock (the participant's lock is held), in this order: a
    verified e-mail address (`verified_email`: whoever books themself on the web; confirmations
    and reminders go there), a bookable account, not yet enrolled, no overlapping run, and when
    a `business` books, a confirmed employment there. Returns the facts and the business that
    pays: only a confirmed employment lets a business pay (read under the participant's lock,
    which people.services.employment takes too); without one the person books privately.
    `after`: a round trip that takes that lock, sent with the question (see facts_about)."""
    facts = facts_about(
        run=run, participant=participant, after=after, with_employer=business is None
    )
    if verified_email and not facts.verified:
        raise EmailNotVerified(
            _("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse, dann können Sie buchen."),
            field="participant",
        )
    if not participant.is_active or participant.anonymised_at is not None:
        raise NotEligible(_("Dieses Konto kann nicht gebucht werden."), field="participant")
    if facts.enrolled:
        raise AlreadyEnrolled(
            _("%(name)s ist für diesen Kurs bereits angemeldet.") % {"name": _name(participant)},
            field="participant",
        )
    raise_clash(facts.clash_id, participant=participant, by_other=by_other)
    if business is not None and facts.employer_id != business.pk:
        raise NotEligible(
            _("%(name)s ist bei diesem Betrieb nicht als beschäftigt bestätigt.")
            % {"name": _name(participant)},
            field="participant",
        )
    if business is None:
        business = facts.employer
    return facts, business
