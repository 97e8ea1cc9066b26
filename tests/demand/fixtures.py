"""Shared set-up for the demand tests: a course with interested people, and a run of it that a
coordinator publishes through the planning service."""

import datetime as dt

from django.utils import timezone

from courses.models import CourseRun
from tests.factories import CourseRunFactory, SessionFactory, WorkshopFactory


def at(days: float, hour: int = 8) -> dt.datetime:
    base = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return base + dt.timedelta(days=days)


def draft_run(course, *, opens_in_days: float = 5, capacity: int = 10) -> CourseRun:
    """A draft run of the course with one session, whose public booking opens in a few days."""
    workshop = WorkshopFactory(school=course.school, seats=30)
    run = CourseRunFactory(
        course=course,
        school=course.school,
        workshop=workshop,
        capacity=capacity,
        min_participants=0,
        status=CourseRun.Status.DRAFT,
        booking_opens_at=timezone.now() + dt.timedelta(days=opens_in_days),
        booking_closes_at=at(40),
        cancellation_deadline=at(38),
        starts_at=at(45),
        ends_at=at(45, 16),
    )
    SessionFactory(run=run, start=at(45), end=at(45, 16))
    return run
