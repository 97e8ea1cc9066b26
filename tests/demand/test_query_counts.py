"""The demand pages run the same number of queries with a little and with three times as much
data: every list is one query, never one per row."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseRun, Enrolment
from demand.models import FIXED_QUESTIONS, CourseRequest, FeedbackResponse
from demand.services.interest import interest_register
from tests.factories import (
    BusinessFactory,
    CourseFactory,
    CourseRunFactory,
    DistrictFactory,
    EnrolmentFactory,
    EquipmentFactory,
    SchoolFactory,
    SessionFactory,
    TopicFactory,
    WorkshopFactory,
    business_contact,
    coordinator,
    district_admin,
    trainee,
)

pytestmark = pytest.mark.django_db


def add_data(school, size: int) -> None:
    """`size` courses, each with interest, a waiting list, requests, a completed and a cancelled
    run, sessions, equipment and certificates-free enrolments."""
    now = timezone.now()
    workshop = WorkshopFactory(school=school)
    EquipmentFactory(workshop=workshop)
    for index in range(size):
        topic = TopicFactory(name=f"Thema {school.pk}-{index}", slug=f"t-{school.pk}-{index}")
        course = CourseFactory(school=school, topic=topic)
        business = BusinessFactory()
        interest_register(user=trainee(business=business), course=course)
        interest_register(
            user=business_contact(business), course=course, business=business, participants=3
        )
        CourseRequest.objects.create(business=business, topic=topic, course=course, title="x")
        CourseRequest.objects.create(business=business, topic=topic, school=school, title="y")
        full = CourseRunFactory(course=course, workshop=workshop, capacity=1, min_participants=0)
        EnrolmentFactory(run=full)
        EnrolmentFactory(run=full, status=Enrolment.Status.WAITLISTED, waitlist_seq=1)
        past = CourseRunFactory(
            course=course,
            workshop=workshop,
            status=CourseRun.Status.COMPLETED,
            starts_at=now - dt.timedelta(days=20),
            ends_at=now - dt.timedelta(days=19),
        )
        # One session a day: the workshop is never in two places (PostgreSQL refuses that).
        SessionFactory(run=past, start=now - dt.timedelta(days=20 + index))
        for status in ("completed", "no_show"):
            EnrolmentFactory(run=past, status=status)
        FeedbackResponse.objects.create(run=past, **{n: 3 for n, _l in FIXED_QUESTIONS})
        CourseRunFactory(
            course=course,
            workshop=workshop,
            status=CourseRun.Status.CANCELLED,
            min_participants_flagged_at=now,
        )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        reverse("demand:board"),
        reverse("demand:board") + "?by=business",
        reverse("demand:board") + "?by=municipality",
        reverse("demand:staff_requests"),
    ],
)
def test_coordinator_pages_are_constant(client, url):
    school = SchoolFactory()
    client.force_login(coordinator(school))
    add_data(school, 2)
    client.get(url)  # warm caches (sessions, content types)
    small = queries(client, url)
    add_data(school, 4)
    assert queries(client, url) == small


def test_statistics_page_and_exports_are_constant(client):
    district = DistrictFactory()
    school = SchoolFactory(district=district)
    client.force_login(district_admin(district))
    urls = [
        reverse("demand:statistics"),
        reverse("demand:statistics_export", args=["csv"]),
        reverse("demand:statistics_export", args=["json"]),
    ]
    add_data(school, 2)
    for url in urls:
        client.get(url)
    small = [queries(client, url) for url in urls]
    add_data(SchoolFactory(district=district), 4)
    add_data(school, 2)
    assert [queries(client, url) for url in urls] == small


def test_feedback_results_and_my_interests_are_constant(client):
    school = SchoolFactory()
    course = CourseFactory(school=school)
    user = trainee()
    add_data(school, 1)
    client.force_login(coordinator(school))
    url = reverse("demand:feedback_course", args=[course.pk])

    def add_answered_run():
        run = CourseRunFactory(course=course, status=CourseRun.Status.COMPLETED)
        for _ in range(6):
            FeedbackResponse.objects.create(
                run=run, comment="gut", **{n: 4 for n, _l in FIXED_QUESTIONS}
            )

    add_answered_run()  # results shown from the start: the threshold adds two reads once
    client.get(url)
    small = queries(client, url)
    for _ in range(3):
        add_answered_run()
    assert queries(client, url) == small

    client.force_login(user)
    mine = reverse("demand:my_interests")
    interest_register(user=user, course=CourseFactory())
    client.get(mine)
    small = queries(client, mine)
    for _ in range(4):
        interest_register(user=user, course=CourseFactory())
    assert queries(client, mine) == small
