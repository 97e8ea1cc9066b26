"""Course requests: a business contact asks, the coordinator answers (the contact gets the answer
by e-mail) or plans a run from the request."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.errors import InvalidInput, PermissionDenied
from courses.models import CourseRun
from demand.models import CourseRequest
from demand.services.planning import run_plan_from_demand
from demand.services.requests import request_answer, request_create
from tests.factories import (
    BusinessFactory,
    CourseFactory,
    SchoolFactory,
    TopicFactory,
    WorkshopFactory,
    business_contact,
    coordinator,
)

pytestmark = pytest.mark.django_db


def _request(**kwargs):
    business = kwargs.pop("business", None) or BusinessFactory()
    contact = kwargs.pop("contact", None) or business_contact(business)
    values = {
        "actor": contact,
        "business": business,
        "topic": TopicFactory(),
        "title": "SPS-Grundlagen für Monteure",
        "participants": 3,
        "preferred_months": ["2031-04", "2031-03"],
    }
    values.update(kwargs)
    return request_create(**values)


def test_a_contact_asks_for_their_business_only():
    course_request = _request()
    assert course_request.status == CourseRequest.Status.OPEN
    assert course_request.preferred_months == ["2031-03", "2031-04"]
    with pytest.raises(PermissionDenied):
        _request(contact=business_contact(BusinessFactory()), business=BusinessFactory())


def test_request_figures_and_months_are_checked():
    with pytest.raises(InvalidInput) as error:
        _request(participants=0)
    assert error.value.field == "participants"
    with pytest.raises(InvalidInput) as error:
        _request(preferred_months=["2031-13"])
    assert error.value.field == "preferred_months"
    with pytest.raises(InvalidInput) as error:
        _request(title="  ")
    assert error.value.field == "title"


def test_the_coordinator_of_the_school_answers_and_the_contact_is_emailed(
    django_capture_on_commit_callbacks,
):
    school = SchoolFactory()
    course_request = _request(school=school)
    with pytest.raises(PermissionDenied):
        request_answer(course_request=course_request, actor=coordinator(), answer="Nein.")
    with django_capture_on_commit_callbacks(execute=True):
        answered = request_answer(
            course_request=course_request,
            actor=coordinator(school),
            answer="Im März bieten wir einen Termin an.",
        )
    assert answered.status == CourseRequest.Status.ANSWERED
    assert [m.to for m in mail.outbox] == [[course_request.requested_by.email]]
    assert "Im März bieten wir einen Termin an." in mail.outbox[0].body


def test_a_request_without_school_is_open_to_every_coordinator():
    course_request = _request()
    declined = request_answer(
        course_request=course_request,
        actor=coordinator(),
        answer="Dafür fehlen uns die Geräte.",
        status=CourseRequest.Status.DECLINED,
    )
    assert declined.status == CourseRequest.Status.DECLINED


def test_planning_a_run_from_a_request_marks_it_planned():
    course = CourseFactory()
    course_request = _request(topic=course.topic, course=course, school=course.school)
    now = timezone.now()
    run = run_plan_from_demand(
        course=course,
        actor=coordinator(course.school),
        workshop=WorkshopFactory(school=course.school),
        capacity=course_request.participants + 5,
        booking_opens_at=now + dt.timedelta(days=8),
        booking_closes_at=now + dt.timedelta(days=30),
        cancellation_deadline=now + dt.timedelta(days=28),
        course_request=course_request,
    )
    assert run.status == CourseRun.Status.DRAFT
    course_request.refresh_from_db()
    assert course_request.status == CourseRequest.Status.PLANNED
    assert course_request.run == run


def test_planning_refuses_a_request_about_another_course_and_changes_nothing():
    course = CourseFactory()
    other = CourseFactory(school=course.school, topic=course.topic)
    course_request = _request(topic=course.topic, course=other)
    now = timezone.now()
    with pytest.raises(InvalidInput):
        run_plan_from_demand(
            course=course,
            actor=coordinator(course.school),
            workshop=WorkshopFactory(school=course.school),
            capacity=10,
            booking_opens_at=now + dt.timedelta(days=8),
            booking_closes_at=now + dt.timedelta(days=30),
            cancellation_deadline=now + dt.timedelta(days=28),
            course_request=course_request,
        )
    assert not CourseRun.objects.filter(course=course).exists()
    course_request.refresh_from_db()
    assert course_request.status == CourseRequest.Status.OPEN
