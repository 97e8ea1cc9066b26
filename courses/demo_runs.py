"""The runs of the demo plan, their sessions and reservations, bookings in every status and the
attendance of past sessions: the part of `manage.py seed_demo` after the catalogue."""

import datetime as dt
import random
from collections import defaultdict

from django.conf import settings
from django.utils import timezone

from core.tokens import token_digest
from courses.demo_people import COORDINATOR_EMAIL, STAFF
from courses.demo_plan import (
    APPROVAL_RUNS,
    CANCELLED_RUNS,
    COMPLETED_RUNS,
    COURSES,
    DRAFT_RUNS,
    EQUIPMENT_STATUS,
    EQUIPMENT_TYPES,
    FULL_RUNS,
    SESSION_END,
    SESSION_HOURS,
    SESSION_START,
    WORKSHOPS,
    CourseSpec,
    Occupancy,
    is_school_holiday,
)
from courses.models import (
    Attendance,
    CourseRun,
    Enrolment,
    Session,
    SessionReservation,
)
from people.models import (
    Membership,
    TraineeProfile,
    User,
)
from workshops.models import (
    Equipment,
    EquipmentReservation,
    Workshop,
)


class DemoRuns:
    """Mixed into the seed command: uses its schools, workshops, types, courses, staff and
    trainees, and its `_rng`, `today`, `now` and `tz`."""

    def _seats(self, spec: CourseSpec, capacity: int) -> int:
        """The seat rule of courses.selectors.with_seats, on the demo plan (no query per run)."""
        workshop = next(w for w in WORKSHOPS if w[0] == spec.workshop)
        limits = [capacity, workshop[4]]
        for slug in spec.needs:
            working = sum(
                1
                for n in range(1, workshop[5].get(slug, 0) + 1)
                if f"{spec.workshop.split('-')[0].upper()}-{slug.upper()}-{n:03d}"
                not in EQUIPMENT_STATUS
            )
            per_unit = next(t[2] for t in EQUIPMENT_TYPES if t[0] == slug)
            limits.append(working * per_unit)
        return min(limits)

    # --- runs, sessions, enrolments -----------------------------------------------------------

    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.tz)

    def _load_occupancy(self) -> Occupancy:
        occ = Occupancy()
        for workshop_id, instructor_id, start in Session.objects.values_list(
            "workshop_id", "instructor_id", "start"
        ):
            day = timezone.localtime(start, self.tz).date()
            occ.workshop[workshop_id].add(day)
            if instructor_id:
                occ.instructor[instructor_id].add(day)
        rows = Enrolment.objects.filter(
            status__in=("pending", "confirmed", "waitlisted")
        ).values_list("participant_id", "run__sessions__start")
        for participant_id, start in rows:
            if participant_id and start:
                occ.participant[participant_id].add(timezone.localtime(start, self.tz).date())
        return occ

    def _free_days(
        self, occ: Occupancy, workshop: Workshop, instructor: User, first: dt.date, n: int
    ):
        """The first n weekdays from `first` on which room and instructor are both free."""
        days, day = [], first
        while len(days) < n:
            if (
                day.weekday() < 5
                and not is_school_holiday(day)
                and day not in occ.workshop[workshop.pk]
                and day not in occ.instructor[instructor.pk]
            ):
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def _runs(self):
        occ = self._load_occupancy()
        instructors = defaultdict(list)
        for email, _first, _last, role, school in STAFF:
            if role == Membership.Role.INSTRUCTOR:
                instructors[school].append(self.staff[email])

        plan = []  # (desired first day offset, course index, ordinal)
        for ci, spec in enumerate(COURSES):
            for k in range(spec.runs):
                offset = COMPLETED_RUNS.get((ci, k), 4 + k * 28 + (ci * 5) % 24)
                plan.append((offset, ci, k))
        plan.sort()

        runs = []
        for offset, ci, k in plan:
            spec, course = COURSES[ci], self.courses[ci]
            existing = list(CourseRun.objects.filter(course=course).order_by("id"))
            school_instructors = instructors[spec.school]
            # The demo instructor (ausbilder@) takes two of every three runs at school 1.
            instructor = school_instructors[0 if (ci + k) % 3 else 1]
            if k < len(existing):
                run = existing[k]
            else:
                run = self._create_run(occ, ci, k, offset, spec, course, instructor)
            runs.append((ci, k, run))
        self._enrolments(occ, runs)

    def _create_run(self, occ, ci, k, offset, spec, course, instructor) -> CourseRun:
        workshop = self.workshops[spec.workshop]
        n_sessions = max(1, spec.hours // SESSION_HOURS)
        days = self._free_days(
            occ, workshop, instructor, self.today + dt.timedelta(days=offset), n_sessions
        )
        first = self._at(days[0], SESSION_START)
        last = self._at(days[-1], SESSION_END)
        if (ci, k) in COMPLETED_RUNS:
            status = CourseRun.Status.COMPLETED
        elif (ci, k) in CANCELLED_RUNS:
            status = CourseRun.Status.CANCELLED
        elif (ci, k) in DRAFT_RUNS:
            status = CourseRun.Status.DRAFT
        else:
            status = CourseRun.Status.PUBLISHED
        opens = first - dt.timedelta(days=60)
        run = CourseRun.objects.create(
            course=course,
            school=self.schools[spec.school],
            workshop=workshop,
            instructor=instructor,
            capacity=12,
            min_participants=4 if self._seats(spec, 12) >= 6 else 2,
            booking_opens_at=opens,
            booking_closes_at=first - dt.timedelta(days=2),
            cancellation_deadline=first - dt.timedelta(days=7),
            price_business=spec.price,
            requires_employer_approval=(ci, k) in APPROVAL_RUNS,
            status=status,
            starts_at=first,
            ends_at=last,
            published_at=opens if status != CourseRun.Status.DRAFT else None,
            cancelled_at=self.now if status == CourseRun.Status.CANCELLED else None,
            cancel_reason="Zu wenige Anmeldungen" if status == CourseRun.Status.CANCELLED else "",
        )
        session_status = (
            Session.Status.CANCELLED
            if status == CourseRun.Status.CANCELLED
            else Session.Status.SCHEDULED
        )
        sessions = Session.objects.bulk_create(
            [
                Session(
                    run=run,
                    start=self._at(day, SESSION_START),
                    end=self._at(day, SESSION_END),
                    workshop=workshop,
                    instructor=instructor,
                    status=session_status,
                )
                for day in days
            ]
        )
        for day in days:
            occ.workshop[workshop.pk].add(day)
            occ.instructor[instructor.pk].add(day)
        if session_status == Session.Status.SCHEDULED:
            self._reserve(run, sessions, spec)
        return run

    def _reserve(self, run: CourseRun, sessions: list[Session], spec: CourseSpec):
        """Each scheduled session holds the working items of the types its course needs."""
        items = list(
            Equipment.objects.filter(
                workshop=run.workshop,
                type__slug__in=spec.needs,
                status=Equipment.Status.AVAILABLE,
            ).order_by("inventory_number")
        )
        reservations = EquipmentReservation.objects.bulk_create(
            [
                EquipmentReservation(
                    equipment=item,
                    start=session.start,
                    end=session.end,
                    kind=EquipmentReservation.Kind.SESSION,
                    purpose=str(run.course),
                    reserved_by=run.instructor,
                )
                for session in sessions
                for item in items
            ]
        )
        per_session = len(items)
        SessionReservation.objects.bulk_create(
            [
                SessionReservation(session=sessions[i // per_session], reservation=reservation)
                for i, reservation in enumerate(reservations)
            ]
        )

    def _enrolments(self, occ: Occupancy, runs):
        """Enrolments in every status; a run that has any keeps them (idempotent on any day)."""
        azubi = self.trainees[0]
        # Where the demo trainee is enrolled, and how: (course index, ordinal) -> status.
        azubi_plan = {
            (0, 0): Enrolment.Status.COMPLETED,
            (0, 1): Enrolment.Status.CONFIRMED,
            (3, 1): Enrolment.Status.CONFIRMED,
            (3, 0): Enrolment.Status.WAITLISTED,
            (2, 0): Enrolment.Status.CANCELLED,
        }
        run_ids = [run.pk for _ci, _k, run in runs]
        has_enrolments = set(
            Enrolment.objects.filter(run_id__in=run_ids).values_list("run_id", flat=True).distinct()
        )
        session_days = defaultdict(list)
        for run_id, start in Session.objects.filter(run_id__in=run_ids).values_list(
            "run_id", "start"
        ):
            session_days[run_id].append(timezone.localtime(start, self.tz).date())

        for ci, k, run in sorted(runs, key=lambda r: (r[2].starts_at, r[2].pk)):
            if run.pk in has_enrolments or run.status == CourseRun.Status.DRAFT:
                continue
            rng = self._rng("run", ci, k)
            order = rng.sample(self.trainees[1:], len(self.trainees) - 1)
            days = set(session_days[run.pk])
            spec = COURSES[ci]
            seats = self._seats(spec, run.capacity)
            wanted = self._wanted_statuses(run, (ci, k), seats, rng)
            forced = azubi_plan.get((ci, k))
            candidates = ([azubi] if forced else []) + order
            chosen: list[tuple[User, str]] = []
            for status in ([forced] if forced else []) + wanted:
                while candidates:
                    person = candidates.pop(0)
                    # A cancelled enrolment blocks no day; any other one keeps the person's days.
                    blocks = status != Enrolment.Status.CANCELLED
                    if not blocks or not (occ.participant[person.pk] & days):
                        chosen.append((person, status))
                        if blocks:
                            occ.participant[person.pk] |= days
                        break
            self._create_enrolments(run, chosen, rng)

    def _wanted_statuses(self, run: CourseRun, key, seats: int, rng: random.Random) -> list[str]:
        S = Enrolment.Status
        if run.status == CourseRun.Status.COMPLETED:
            n = min(seats, 8) - 3
            return [S.COMPLETED] * n + [S.NOT_COMPLETED, S.NO_SHOW, S.CANCELLED]
        if run.status == CourseRun.Status.CANCELLED:
            return [S.CANCELLED] * 3
        if key in FULL_RUNS:
            # The demo trainee is first on the waiting list of the first full run.
            return [S.CONFIRMED] * seats + [S.WAITLISTED] * 2 + [S.CANCELLED]
        taken = rng.randint(2, max(2, seats - 3))
        pending = 2 if key in APPROVAL_RUNS else 0
        extra = [S.CANCELLED] if rng.random() < 0.4 else []
        return [S.CONFIRMED] * (taken - pending) + [S.PENDING] * pending + extra

    def _create_enrolments(self, run: CourseRun, chosen, rng: random.Random):
        S = Enrolment.Status
        profiles = {
            p.user_id: p for p in TraineeProfile.objects.filter(user__in=[u for u, _ in chosen])
        }
        sessions = list(run.sessions.order_by("start"))
        coordinator = self.staff[COORDINATOR_EMAIL]
        booked_at = run.booking_opens_at + dt.timedelta(days=3)
        # Waiting-list numbers follow booking order: the forced demo trainee first.
        seq = 0
        for person, status in chosen:
            profile = profiles.get(person.pk)
            business = profile.business if profile else None
            source = rng.choice(
                [Enrolment.Source.WEB] * 3 + [Enrolment.Source.API, Enrolment.Source.STAFF]
            )
            if business == self.demo_business and person != self.trainees[0]:
                booked_by = self.business_contact
                source = Enrolment.Source.WEB
            elif source == Enrolment.Source.STAFF:
                booked_by = coordinator
            else:
                booked_by = person
            fields = {}
            if status == S.WAITLISTED:
                seq += 1
                fields["waitlist_seq"] = seq
            if status in (S.CONFIRMED, S.COMPLETED, S.NOT_COMPLETED, S.NO_SHOW):
                fields["confirmed_at"] = booked_at
            if status == S.PENDING:
                fields["hold_until"] = self.now + dt.timedelta(
                    days=settings.BOOKING_APPROVAL_HOLD_DAYS
                )
                fields["approval_token_hash"] = token_digest(f"demo-{run.pk}-{person.pk}")
            if status == S.CANCELLED:
                fields["cancelled_at"] = run.cancelled_at or booked_at + dt.timedelta(days=5)
                fields["cancel_reason"] = (
                    "Kurs abgesagt" if run.cancelled_at else "Terminkonflikt im Betrieb"
                )
            if status in (S.COMPLETED, S.NOT_COMPLETED, S.NO_SHOW):
                fields["completed_at"] = run.ends_at
            enrolment, created = Enrolment.objects.get_or_create(
                run=run,
                participant=person,
                defaults={
                    "participant_name": person.get_full_name(),
                    "booked_by": booked_by,
                    "business": business,
                    "status": status,
                    "source": source,
                    **fields,
                },
            )
            if created and status in (S.COMPLETED, S.NOT_COMPLETED, S.NO_SHOW):
                self._attendance(enrolment, sessions, run.instructor)

    def _attendance(self, enrolment: Enrolment, sessions: list[Session], instructor: User):
        A, S = Attendance.Status, Enrolment.Status
        rows = []
        for i, session in enumerate(sessions):
            if enrolment.status == S.COMPLETED:
                status = A.PRESENT
            elif enrolment.status == S.NO_SHOW:
                status = A.ABSENT
            else:  # not completed: missed all but the first day, or most of a one-day course
                status = A.PRESENT if i == 0 else A.EXCUSED
            partial = enrolment.status == S.NOT_COMPLETED and len(sessions) == 1
            rows.append(
                Attendance(
                    enrolment=enrolment,
                    session=session,
                    status=status,
                    minutes=120 if partial else None,
                    reason="Krankmeldung" if status == A.EXCUSED or partial else "",
                    recorded_by=instructor,
                )
            )
        Attendance.objects.bulk_create(rows)
