"""GET /api/v1/demand/courses/: interest counts per course for chambers, never who."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demand.models import Interest
from demand.services.interest import interest_register
from tests.factories import BusinessFactory, CourseFactory, business_contact, trainee

pytestmark = pytest.mark.django_db


def test_counts_per_course_with_the_chambers_members(api, chamber, member):
    course = CourseFactory(title="SPS-Grundlagen")
    quiet = CourseFactory()
    other_chamber_business = BusinessFactory()
    interest_register(user=trainee(business=member), course=course)
    interest_register(user=business_contact(member), course=course, business=member, participants=3)
    interest_register(user=trainee(business=other_chamber_business), course=course)
    gone = interest_register(user=trainee(business=member), course=course)
    Interest.objects.filter(pk=gone.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    interest_register(user=trainee(), course=CourseFactory(is_active=True))
    response = api.get("/api/v1/demand/courses/")
    assert response.status_code == 200
    rows = {row["course"]: row for row in response.json()}
    assert quiet.pk not in rows
    row = rows[course.pk]
    assert row == {
        "course": course.pk,
        "title": "SPS-Grundlagen",
        "topic": course.topic.name,
        "school": course.school.code,
        "registrations": 3,
        "people": 5,
        "member_people": 4,
    }
    text = response.content.decode()
    assert "@" not in text  # no e-mail address, no person


def test_query_count_does_not_grow_with_courses(api, member):
    for _ in range(3):
        interest_register(user=trainee(business=member), course=CourseFactory())
    api.get("/api/v1/demand/courses/")
    with CaptureQueriesContext(connection) as small:
        api.get("/api/v1/demand/courses/")
    for _ in range(6):
        interest_register(user=trainee(business=member), course=CourseFactory())
    with CaptureQueriesContext(connection) as large:
        assert len(api.get("/api/v1/demand/courses/").json()) == 9
    assert len(large) == len(small)
