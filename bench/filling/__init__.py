"""Filling the benchmark data set, one module per part (members: schools, businesses and people;
rooms: workshops and printers; catalogue: topics and courses; runs with their sessions and
enrolments); the big tables go in with COPY (load.py). Runs inside Django,
against DATABASE_URL: bench/dataset.py imports this after django.setup()."""

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from courses.models import Course, CourseRun, Enrolment, Session

from . import catalogue, members, rooms, runs
from .sizes import (
    COURSES,
    ENROLMENTS_PER_RUN,
    RUNS_PER_COURSE,
    SCHOOLS,
    SESSIONS_PER_RUN,
    TRAINEES,
    WORKSHOPS_PER_SCHOOL,
)


def fill(scale: float) -> dict:
    courses = max(20, int(COURSES * scale))
    trainees = max(ENROLMENTS_PER_RUN * 2, int(TRAINEES * scale))
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    # Each workshop takes its runs' sessions back to back (two a day); about a fifth of them lie in
    # the past (completed runs), the rest ahead (bookable, cancelled, draft).
    runs_per_workshop = courses * RUNS_PER_COURSE / (SCHOOLS * WORKSHOPS_PER_SCHOOL)
    days_per_workshop = runs_per_workshop * SESSIONS_PER_RUN / 2
    day0 = (now - timedelta(days=int(days_per_workshop * 0.2))).replace(hour=0)

    with transaction.atomic():
        schools = members.schools()
        businesses = members.businesses()
        topics = catalogue.topics()
        printer = rooms.printer_type()
        instructors = members.instructors()
        workshops = rooms.workshops_with_printers(schools, printer)

    # Big tables: COPY with explicit ids.
    trainee_base = members.trainees(trainees, businesses)
    catalogue.courses(courses, schools, topics, printer)
    runs.runs_sessions_enrolments(
        courses=courses,
        schools=schools,
        workshops=workshops,
        instructors=instructors,
        businesses=businesses,
        trainee_base=trainee_base,
        trainees=trainees,
        now=now,
        day0=day0,
    )
    members.sign_in_people(schools, businesses, instructors, workshops)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "courses": Course.objects.count(),
        "runs": CourseRun.objects.count(),
        "sessions": Session.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "published_bookable": CourseRun.objects.filter(
            status="published", booking_closes_at__gt=now
        ).count(),
    }
