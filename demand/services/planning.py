"""Plan a run from demand: the coordinator starts from a row of the demand board or from a course
request; the run is created as a draft through the courses planning service (which checks the
school, workshop and instructor), and a request it answers is marked planned, in one transaction.
The interested people are told when the coordinator publishes the run (receivers.py)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import InvalidInput
from courses.models import Course, CourseRun
from courses.services import planning as course_planning

from ..models import CourseRequest
from .requests import request_mark_planned


@transaction.atomic
def run_plan_from_demand(
    *,
    course: Course,
    actor,
    workshop,
    capacity: int,
    booking_opens_at: dt.datetime,
    booking_closes_at: dt.datetime,
    cancellation_deadline: dt.datetime,
    instructor=None,
    min_participants: int = 0,
    title_suffix: str = "",
    price_business: Decimal = Decimal("0"),
    requires_employer_approval: bool = False,
    course_request: CourseRequest | None = None,
) -> CourseRun:
    """A draft run of the course; with `course_request`, that request becomes planned. Raises the
    courses planning errors (workshop of another school, ...) and InvalidInput for a request
    about another course."""
    if course_request is not None and course_request.course_id not in (None, course.pk):
        raise InvalidInput(_("Die Anfrage betrifft einen anderen Kurs."), field="course")
    run = course_planning.create_run(
        course=course,
        actor=actor,
        workshop=workshop,
        instructor=instructor,
        capacity=capacity,
        min_participants=min_participants,
        booking_opens_at=booking_opens_at,
        booking_closes_at=booking_closes_at,
        cancellation_deadline=cancellation_deadline,
        title_suffix=title_suffix,
        price_business=price_business,
        requires_employer_approval=requires_employer_approval,
    )
    if course_request is not None:
        request_mark_planned(course_request=course_request, run=run, actor=actor)
    return run
