"""ÜLU report (überbetriebliche Lehrlingsunterweisung): per run, who took part and how many hours
they attended on each day, with absence reasons. The chambers need it to claim funding.

One function, a fixed number of queries (run, sessions, enrolments, attendance) however many
participants; the API (JSON) and the staff exports (CSV, XLSX) all read it."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from .models import Attendance, CourseRun, Enrolment, Session

# Who is in the report: everyone who held a seat, whatever came of it; cancelled and waiting
# enrolments never sat in the course.
REPORTED_STATUSES = Enrolment.Status.SEATED


@dataclass
class UeluDay:
    date: date
    hours_planned: float = 0.0
    hours_attended: float = 0.0
    absence_reasons: list[str] = field(default_factory=list)


@dataclass
class UeluParticipant:
    enrolment: int
    name: str
    lehrlingsrolle_number: str | None
    occupation: str
    business: str | None
    member_number: str | None
    chamber: str | None
    status: str
    days: list[UeluDay]

    @property
    def hours_attended(self) -> float:
        return round(sum(d.hours_attended for d in self.days), 2)


@dataclass
class UeluReport:
    run: int
    course: str
    school: str
    course_hours: float
    days: list[date]
    participants: list[UeluParticipant]


def _hours(minutes: float) -> float:
    return round(minutes / 60, 2)


def uelu_report(run: CourseRun, *, chamber_id: int | None = None) -> UeluReport:
    """The report of one run; with `chamber_id`, only participants of that chamber's businesses."""
    run = (
        CourseRun.objects.select_related("course", "school")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.filter(status=Session.Status.SCHEDULED).order_by("start"),
            )
        )
        .get(pk=run.pk)
    )
    sessions = list(run.sessions.all())
    day_of = {s.pk: timezone.localdate(s.start) for s in sessions}
    days = sorted(set(day_of.values()))
    planned = defaultdict(float)
    for s in sessions:
        planned[day_of[s.pk]] += (s.end - s.start).total_seconds() / 60

    enrolments = (
        Enrolment.objects.filter(run=run, status__in=REPORTED_STATUSES)
        .select_related("participant__trainee_profile", "business__chamber")
        .order_by("participant_name", "id")
    )
    if chamber_id is not None:
        enrolments = enrolments.filter(business__chamber_id=chamber_id)
    enrolments = list(enrolments)

    attended: dict[int, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    reasons: dict[int, dict[date, list[str]]] = defaultdict(lambda: defaultdict(list))
    records = Attendance.objects.filter(
        enrolment__in=[e.pk for e in enrolments], session__in=[s.pk for s in sessions]
    ).values_list("enrolment_id", "session_id", "status", "minutes", "reason")
    session_minutes = {s.pk: (s.end - s.start).total_seconds() / 60 for s in sessions}
    for enrolment_id, session_id, status, minutes, reason in records:
        day = day_of[session_id]
        full = session_minutes[session_id]
        if status == Attendance.Status.PRESENT:
            got = full if minutes is None else min(minutes, full)
            attended[enrolment_id][day] += got
            if got < full and reason:
                reasons[enrolment_id][day].append(reason)
        else:
            label = Attendance.Status(status).label
            reasons[enrolment_id][day].append(f"{label}: {reason}" if reason else str(label))

    participants = []
    for e in enrolments:
        profile = getattr(e.participant, "trainee_profile", None) if e.participant else None
        name = e.participant.get_full_name() if e.participant else e.participant_name
        participants.append(
            UeluParticipant(
                enrolment=e.pk,
                name=name or e.participant_name,
                lehrlingsrolle_number=profile.lehrlingsrolle_number if profile else None,
                occupation=profile.occupation if profile else "",
                business=e.business.name if e.business else None,
                member_number=(e.business.member_number or None) if e.business else None,
                chamber=e.business.chamber.code if e.business and e.business.chamber else None,
                status=e.status,
                days=[
                    UeluDay(
                        date=d,
                        hours_planned=_hours(planned[d]),
                        hours_attended=_hours(attended[e.pk][d]),
                        absence_reasons=reasons[e.pk][d],
                    )
                    for d in days
                ],
            )
        )
    return UeluReport(
        run=run.pk,
        course=str(run.course.title + (f" {run.title_suffix}" if run.title_suffix else "")),
        school=run.school.name,
        course_hours=float(run.course.hours),
        days=days,
        participants=participants,
    )
