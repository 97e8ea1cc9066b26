"""The pages of demand: who may open them (403 for the wrong role, 404 for someone else's private
object, login first for the anonymous), and the forms doing what they say."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseRun, Enrolment
from courses.services.planning import publish_run
from demand.models import FIXED_QUESTIONS, CourseRequest, FeedbackResponse, Interest
from demand.services.interest import interest_register
from tests.courses.booking_fixtures import verified_trainee
from tests.factories import (
    BusinessFactory,
    CourseFactory,
    CourseRunFactory,
    EnrolmentFactory,
    SchoolFactory,
    TopicFactory,
    WorkshopFactory,
    business_contact,
    coordinator,
    district_admin,
    instructor,
    trainee,
)

from .fixtures import draft_run

pytestmark = pytest.mark.django_db


def test_anonymous_people_are_sent_to_the_login_first(client):
    course = CourseFactory()
    for url in (
        reverse("demand:interest", args=[course.pk]),
        reverse("demand:my_interests"),
        reverse("demand:board"),
        reverse("demand:statistics"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_trainee_registers_interest_sees_renews_and_withdraws_it(client):
    user = trainee()
    course = CourseFactory()
    client.force_login(user)
    page = client.get(reverse("demand:interest", args=[course.pk]))
    assert page.status_code == 200
    assert "for_business" not in page.content.decode()  # only contacts act for a business
    response = client.post(
        reverse("demand:interest", args=[course.pk]),
        {"participants": 1, "preferred_start": "2031-03-01", "preferred_end": "2031-05-31"},
    )
    assert response.status_code == 302
    interest = Interest.objects.get(user=user)
    mine = client.get(reverse("demand:my_interests")).content.decode()
    assert course.title in mine
    Interest.objects.filter(pk=interest.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    client.post(reverse("demand:interest_renew", args=[interest.pk]))
    interest.refresh_from_db()
    assert interest.expires_at > timezone.now()
    client.post(reverse("demand:interest_withdraw", args=[interest.pk]))
    interest.refresh_from_db()
    assert interest.withdrawn_at is not None
    assert (
        'data-testid="interest"' not in client.get(reverse("demand:my_interests")).content.decode()
    )


def test_someone_elses_interest_is_not_found(client):
    interest = interest_register(user=trainee(), course=CourseFactory())
    client.force_login(trainee())
    assert client.post(reverse("demand:interest_withdraw", args=[interest.pk])).status_code == 404
    assert client.get(reverse("demand:interest_renew", args=[interest.pk])).status_code == 405


def test_interest_form_shows_errors_on_the_field(client):
    client.force_login(trainee())
    course = CourseFactory()
    response = client.post(
        reverse("demand:interest", args=[course.pk]),
        {"participants": 1, "preferred_start": "2031-05-01", "preferred_end": "2031-04-01"},
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Interest.objects.exists()


def test_the_run_page_offers_notify_on_a_full_run_and_early_booking_in_the_window(
    client, django_capture_on_commit_callbacks
):
    course = CourseFactory()
    full = CourseRunFactory(course=course, capacity=0, min_participants=0)
    user = verified_trainee()
    client.force_login(user)
    page = client.get(reverse("courses:run", args=[full.pk])).content.decode()
    assert reverse("demand:interest", args=[course.pk]) in page
    interest_register(user=user, course=course)
    page = client.get(reverse("courses:run", args=[full.pk])).content.decode()
    assert reverse("demand:my_interests") in page

    run = draft_run(course, opens_in_days=3)
    with django_capture_on_commit_callbacks(execute=True):
        publish_run(run=run, actor=coordinator(course.school))
    page = client.get(reverse("courses:run", args=[run.pk])).content.decode()
    assert 'data-state="priority"' in page
    client.post(reverse("courses:book", args=[run.pk]))
    assert Enrolment.objects.get(run=run).participant == user
    # Someone without interest sees no early booking.
    client.force_login(trainee())
    page = client.get(reverse("courses:run", args=[run.pk])).content.decode()
    assert 'data-state="priority"' not in page


def test_business_contact_requests_a_course_and_the_coordinator_answers(client, mailoutbox):
    business = BusinessFactory()
    contact = business_contact(business)
    school = SchoolFactory()
    topic = TopicFactory()
    client.force_login(contact)
    assert client.get(reverse("demand:request_new")).status_code == 200
    response = client.post(
        reverse("demand:request_new"),
        {
            "title": "CNC-Fräsen für Fortgeschrittene",
            "topic": topic.pk,
            "school": school.pk,
            "participants": 4,
            "preferred_months": [],
            "business": business.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()
    course_request = CourseRequest.objects.get()
    assert "CNC-Fräsen" in client.get(reverse("demand:business_requests")).content.decode()

    client.force_login(coordinator(SchoolFactory()))  # another school: not theirs
    assert client.get(reverse("demand:request_detail", args=[course_request.pk])).status_code == 404
    staff = coordinator(school)
    client.force_login(staff)
    assert "CNC-Fräsen" in client.get(reverse("demand:staff_requests")).content.decode()
    response = client.post(
        reverse("demand:request_detail", args=[course_request.pk]),
        {"answer": "Wir planen einen Termin im Herbst.", "status": "answered"},
    )
    assert response.status_code == 302
    course_request.refresh_from_db()
    assert course_request.status == CourseRequest.Status.ANSWERED


def test_trainees_may_not_request_courses_or_see_the_board(client):
    client.force_login(trainee())
    assert client.get(reverse("demand:request_new")).status_code == 403
    assert client.get(reverse("demand:board")).status_code == 403
    assert client.get(reverse("demand:statistics")).status_code == 403
    client.force_login(instructor())
    assert client.get(reverse("demand:board")).status_code == 403


def test_coordinator_plans_a_prefilled_run_from_the_board(client):
    course = CourseFactory()
    workshop = WorkshopFactory(school=course.school)
    for _ in range(3):
        interest_register(user=trainee(), course=course)
    client.force_login(coordinator(course.school))
    board = client.get(reverse("demand:board")).content.decode()
    assert reverse("demand:plan_run", args=[course.pk]) in board
    form = client.get(reverse("demand:plan_run", args=[course.pk]))
    assert form.status_code == 200
    initial = form.context["form"].initial
    opens = initial["booking_opens_at"]
    response = client.post(
        reverse("demand:plan_run", args=[course.pk]),
        {
            "workshop": workshop.pk,
            "capacity": initial["capacity"],
            "min_participants": 0,
            "booking_opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "booking_closes_at": initial["booking_closes_at"].strftime("%Y-%m-%dT%H:%M"),
            "cancellation_deadline": initial["cancellation_deadline"].strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    run = CourseRun.objects.get(course=course)
    assert run.status == CourseRun.Status.DRAFT
    assert response["Location"] == reverse("courses:staff_run_detail", args=[run.pk])
    # Another school's coordinator may not plan this course.
    client.force_login(coordinator())
    assert client.get(reverse("demand:plan_run", args=[course.pk])).status_code == 403


def test_the_prefilled_capacity_is_what_the_room_holds_when_more_are_interested(client):
    """Twenty interested people and a twelve-seat workshop: the form suggests 12, which the
    planning rule accepts, instead of 20, which it refuses."""
    course = CourseFactory()
    WorkshopFactory(school=course.school, seats=12)
    for _ in range(4):
        interest_register(user=trainee(), course=course, participants=5)
    client.force_login(coordinator(course.school))
    form = client.get(reverse("demand:plan_run", args=[course.pk]))
    assert form.context["form"].initial["capacity"] == 12


def _completed_run_with(participants: int):
    now = timezone.now()
    run = CourseRunFactory(
        status=CourseRun.Status.COMPLETED,
        starts_at=now - dt.timedelta(days=3),
        ends_at=now - dt.timedelta(days=2),
        booking_opens_at=now - dt.timedelta(days=30),
        booking_closes_at=now - dt.timedelta(days=4),
        cancellation_deadline=now - dt.timedelta(days=5),
    )
    return run, [
        EnrolmentFactory(run=run, status=Enrolment.Status.COMPLETED) for _ in range(participants)
    ]


def test_participants_give_feedback_and_coordinators_see_it_from_five_answers(client):
    run, enrolments = _completed_run_with(5)
    answers = {name: "4" for name, _label in FIXED_QUESTIONS}
    staff = coordinator(run.school)
    for index, enrolment in enumerate(enrolments):
        client.force_login(enrolment.participant)
        url = reverse("demand:feedback_form", args=[run.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {**answers, "comment": f"Anmerkung {index}"})
        assert 'data-testid="feedback-thanks"' in response.content.decode()
        # Answering twice just thanks again.
        again = client.get(url).content.decode()
        assert 'data-testid="feedback-thanks"' in again
        client.force_login(staff)
        page = client.get(reverse("demand:feedback_run", args=[run.pk])).content.decode()
        if index < 4:
            assert "Anmerkung" not in page
        else:
            assert all(f"Anmerkung {i}" in page for i in range(5))
            for enrolment_seen in enrolments:
                assert enrolment_seen.participant.last_name not in page.split("<main")[1]
    assert FeedbackResponse.objects.filter(run=run).count() == 5


def test_feedback_form_is_private_and_results_are_for_the_school(client):
    run, (enrolment, *_rest) = _completed_run_with(2)
    client.force_login(trainee())
    assert client.get(reverse("demand:feedback_form", args=[run.pk])).status_code == 404
    client.force_login(coordinator())
    assert client.get(reverse("demand:feedback_run", args=[run.pk])).status_code == 403
    assert client.get(reverse("demand:feedback_course", args=[run.course_id])).status_code == 403
    client.force_login(coordinator(run.school))
    response = client.post(
        reverse("demand:feedback_course", args=[run.course_id]),
        {"text_de": "Hat die Pause gereicht?", "text_en": "Was the break long enough?"},
    )
    assert response.status_code == 302
    client.force_login(enrolment.participant)
    assert (
        "Hat die Pause gereicht?"
        in client.get(reverse("demand:feedback_form", args=[run.pk])).content.decode()
    )


def test_statistics_page_and_downloads_for_the_district_admin(client):
    admin = district_admin()
    client.force_login(admin)
    assert client.get(reverse("demand:statistics")).status_code == 200
    csv_response = client.get(reverse("demand:statistics_export", args=["csv"]))
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    json_response = client.get(reverse("demand:statistics_export", args=["json"]))
    assert json_response.json()["min_cell"] == 5
    assert client.get(reverse("demand:statistics_export", args=["xml"])).status_code == 404
    client.force_login(coordinator())
    assert client.get(reverse("demand:statistics_export", args=["csv"])).status_code == 403
