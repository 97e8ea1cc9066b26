"""The demand board's figures: each counts what it says and only for the coordinator's schools."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import CourseRun, Enrolment
from demand.models import CourseRequest, Interest
from demand.selectors.board import (
    demand_board,
    interest_by,
    interest_over_time,
    requests_by_topic,
)
from demand.services.interest import interest_register, interest_withdraw
from tests.factories import (
    BusinessFactory,
    CourseFactory,
    CourseRunFactory,
    EnrolmentFactory,
    SchoolFactory,
    TopicFactory,
    business_contact,
    trainee,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    school = SchoolFactory()
    topic = TopicFactory(name="Robotik", slug="robotik")
    course = CourseFactory(school=school, topic=topic, title="Roboter programmieren")
    quiet = CourseFactory(school=school, topic=topic, title="Ruhiger Kurs")
    elsewhere = CourseFactory(title="Anderswo")
    employer = BusinessFactory(name="Elektro Kühn", city="Uelzen")
    interest_register(user=trainee(business=employer, occupation="Elektroniker:in"), course=course)
    interest_register(user=trainee(business=employer, occupation="Elektroniker:in"), course=course)
    contact_business = BusinessFactory(name="Metallbau Lüders", city="Celle")
    interest_register(
        user=business_contact(contact_business),
        course=course,
        business=contact_business,
        participants=4,
    )
    gone = trainee()
    interest_withdraw(interest=interest_register(user=gone, course=course), actor=gone)
    expired = interest_register(user=trainee(), course=course)
    Interest.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    interest_register(user=trainee(), course=elsewhere)

    full = CourseRunFactory(course=course, capacity=1, min_participants=0)
    EnrolmentFactory(run=full)
    EnrolmentFactory(run=full, status=Enrolment.Status.WAITLISTED, waitlist_seq=1)
    EnrolmentFactory(run=full, status=Enrolment.Status.WAITLISTED, waitlist_seq=2)

    CourseRequest.objects.create(
        business=contact_business, topic=topic, course=course, title="Roboter", participants=3
    )
    CourseRequest.objects.create(
        business=contact_business,
        topic=topic,
        course=course,
        title="Abgelehnt",
        participants=9,
        status=CourseRequest.Status.DECLINED,
    )
    CourseRequest.objects.create(
        business=contact_business, topic=topic, title="Cobots", participants=2, school=school
    )
    CourseRequest.objects.create(
        business=contact_business, topic=topic, title="Anderswo", school=SchoolFactory()
    )

    past = CourseRunFactory(course=course, capacity=10, status=CourseRun.Status.COMPLETED)
    for status in ["completed"] * 4 + ["no_show", "cancelled"]:
        EnrolmentFactory(run=past, status=status)
    CourseRunFactory(
        course=course,
        status=CourseRun.Status.CANCELLED,
        min_participants_flagged_at=timezone.now(),
    )
    CourseRunFactory(course=course, status=CourseRun.Status.CANCELLED)  # other reason
    return {"school": school, "course": course, "quiet": quiet, "topic": topic}


def test_board_counts_each_kind_of_demand(world):
    rows = demand_board(school_ids={world["school"].pk})
    assert [row.course for row in rows] == [world["course"], world["quiet"]]
    row = rows[0]
    assert (row.interest_entries, row.interest_people) == (3, 6)
    assert row.waiting == 2
    assert (row.request_count, row.request_people) == (1, 3)
    assert (row.past_runs, row.past_capacity, row.past_participants) == (1, 10, 5)
    assert row.fill_percent == 50
    assert row.cancelled_too_few == 1
    assert row.demand == 6 + 2 + 3
    assert rows[1].demand == 0 and rows[1].fill_percent is None


def test_requests_for_courses_not_offered_are_grouped_by_topic(world):
    groups = requests_by_topic(school_ids={world["school"].pk})
    assert [(g.label, g.entries, g.people) for g in groups] == [("Robotik", 1, 2)]


def test_interest_by_business_occupation_municipality_and_school(world):
    ids = {world["school"].pk}
    by_business = {g.label: g.people for g in interest_by("business", school_ids=ids)}
    assert by_business == {"Metallbau Lüders": 4, "Elektro Kühn": 2}
    by_place = {g.label: g.people for g in interest_by("municipality", school_ids=ids)}
    assert by_place == {"Celle": 4, "Uelzen": 2}
    by_job = {g.label: g.people for g in interest_by("occupation", school_ids=ids)}
    assert by_job == {"": 4, "Elektroniker:in": 2}  # a contact's interest has no occupation
    by_school = {g.label: g.people for g in interest_by("school", school_ids=ids)}
    assert by_school == {world["school"].name: 6}


def test_interest_over_time_lists_twelve_months_ending_now(world):
    months = interest_over_time(school_ids={world["school"].pk})
    assert len(months) == 12
    assert months[-1].entries == 5  # every interest registered this month, withdrawn included
    assert sum(m.entries for m in months[:-1]) == 0
