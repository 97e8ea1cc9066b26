"""ÜLU report (überbetriebliche Lehrlingsunterweisung): per run, who took part and how many hours
they attended on each day, with absence reasons. The chambers need it to claim funding, so it
carries what their funding lists ask for: date of birth, training year, occupation and its code,
the Unterweisungsplan (or our course number), hours per day, reasons for absence, and every status
in words. Hours are counted by courses.hours, as on the certificate.

One function, a fixed number of queries (run, sessions, enrolments, attendance) however many
participants; the API (JSON) and the staff exports (CSV, XLSX) all read it."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from .hours import as_hours, present_minutes, run_hours, session_minutes
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
    date_of_birth: date | None
    lehrlingsrolle_number: str | None
    occupation: str
    occupation_code: str
    training_year: int | None
    business: str | None
    member_number: str | None
    chamber: str | None
    status: str
    status_text: str
    days: list[UeluDay]
    minutes_attended: int = 0

    @property
    def hours_attended(self) -> float:
        # From the minutes, not the sum of rounded days: the same figure as the certificate.
        return _hours(self.minutes_attended)


@dataclass
class UeluReport:
    run: int
    course: str
    course_number: str
    instruction_plan: str
    school: str
    course_hours: float
    days: list[date]
    participants: list[UeluParticipant]


def _hours(minutes: float) -> float:
    return float(as_hours(minutes))


def uelu_report(run: CourseRun, *, chamber_id: int | None = None) -> UeluReport:
    """The report of one run; with `chamber_id`, only participants of that chamber's businesses."""
    run = (
        CourseRun.objects.select_related("course__school", "school")
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
    planned = defaultdict(int)
    for s in sessions:
        planned[day_of[s.pk]] += session_minutes(s)

    enrolments = (
        Enrolment.objects.filter(run=run, status__in=REPORTED_STATUSES)
        .select_related("participant__trainee_profile", "business__chamber")
        .order_by("participant_name", "id")
    )
    if chamber_id is not None:
        enrolments = enrolments.filter(business__chamber_id=chamber_id)
    enrolments = list(enrolments)

    attended: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    reasons: dict[int, dict[date, list[str]]] = defaultdict(lambda: defaultdict(list))
    records = Attendance.objects.filter(
        enrolment__in=[e.pk for e in enrolments], session__in=[s.pk for s in sessions]
    ).values_list("enrolment_id", "session_id", "status", "minutes", "reason")
    by_pk = {s.pk: s for s in sessions}
    for enrolment_id, session_id, status, minutes, reason in records:
        day = day_of[session_id]
        full = session_minutes(by_pk[session_id])
        if status == Attendance.Status.PRESENT:
            got = present_minutes(session=by_pk[session_id], status=status, minutes=minutes)
            attended[enrolment_id][day] += got
            if got < full and reason:
                reasons[enrolment_id][day].append(reason)
        else:
            label = Attendance.Status(status).label
            reasons[enrolment_id][day].append(f"{label}: {reason}" if reason else str(label))

    first_day = days[0] if days else timezone.localdate(run.starts_at or timezone.now())
    participants = []
    for e in enrolments:
        profile = getattr(e.participant, "trainee_profile", None) if e.participant else None
        name = e.participant.get_full_name() if e.participant else e.participant_name
        participants.append(
            UeluParticipant(
                enrolment=e.pk,
                name=name or e.participant_name,
                date_of_birth=e.participant.date_of_birth if e.participant else None,
                lehrlingsrolle_number=profile.lehrlingsrolle_number if profile else None,
                occupation=profile.occupation if profile else "",
                occupation_code=profile.occupation_code if profile else "",
                training_year=profile.training_year(first_day) if profile else None,
                business=e.business.name if e.business else None,
                member_number=(e.business.member_number or None) if e.business else None,
                chamber=e.business.chamber.code if e.business and e.business.chamber else None,
                status=e.status,
                status_text=str(e.get_status_display()),
                minutes_attended=sum(attended[e.pk].values()),
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
        course_number=run.course.number,
        instruction_plan=run.course.instruction_plan,
        school=run.school.name,
        course_hours=float(run_hours(run, sessions)),
        days=days,
        participants=participants,
    )
