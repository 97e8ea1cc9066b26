"""A course that names its target group or prerequisites is booked only with the booking
person's confirmation that they are met: one rule in the booking service, asked by the run page,
the business's booking form and the chamber API alike, stored on the enrolment."""

import pytest

from courses.errors import RequirementsNotConfirmed
from courses.models import Course, Enrolment
from courses.services.booking.book import book, book_many
from tests.courses.booking_fixtures import make_run, verified_trainee
from tests.factories import BusinessFactory, business_contact, trainee

pytestmark = pytest.mark.django_db


def demanding_run(**kwargs):
    run = make_run(capacity=3, **kwargs)
    run.course.prerequisites = "Grundkenntnisse in Elektrotechnik"
    run.course.target_group = Course.TargetGroup.APPRENTICES
    run.course.save()
    return run


def test_service_refuses_without_confirmation_and_stores_it_with_the_time():
    run = demanding_run()
    person = verified_trainee()
    with pytest.raises(RequirementsNotConfirmed) as refused:
        book(run=run, participant=person)
    assert refused.value.field == "requirements_confirmed"
    assert "Voraussetzungen" in refused.value.message
    assert not Enrolment.objects.exists()
    enrolment = book(run=run, participant=person, requirements_confirmed=True)
    assert enrolment.requirements_confirmed_at is not None


@pytest.mark.parametrize(
    "prerequisites,target_group,asks",
    [("", "both", False), ("CAD-Grundlagen", "both", True), ("", "staff", True)],
)
def test_only_a_course_naming_either_asks(prerequisites, target_group, asks):
    run = make_run()
    run.course.prerequisites = prerequisites
    run.course.target_group = target_group
    run.course.save()
    if asks:
        with pytest.raises(RequirementsNotConfirmed):
            book(run=run, participant=verified_trainee())
    else:
        enrolment = book(run=run, participant=verified_trainee())
        assert enrolment.requirements_confirmed_at is None


def test_the_schools_hand_booking_needs_no_confirmation():
    run = demanding_run()
    enrolment = book(run=run, participant=verified_trainee(), source=Enrolment.Source.STAFF)
    assert enrolment.status == "confirmed" and enrolment.requirements_confirmed_at is None


def test_business_books_several_only_with_the_confirmation():
    business = BusinessFactory()
    contact = business_contact(business)
    people = [trainee(business=business), trainee(business=business)]
    run = demanding_run()
    with pytest.raises(RequirementsNotConfirmed):
        book_many(run=run, participants=people, booked_by=contact, business=business)
    booked = book_many(
        run=run,
        participants=people,
        booked_by=contact,
        business=business,
        requirements_confirmed=True,
    )
    assert all(e.requirements_confirmed_at for e in booked)


def test_run_page_asks_and_a_booking_without_the_tick_is_refused_in_german_and_english(client):
    run = demanding_run()
    client.force_login(verified_trainee())
    page = client.get(f"/runs/{run.pk}/").content.decode()
    assert 'name="requirements_ok"' in page and "Grundkenntnisse in Elektrotechnik" in page
    refused = client.post(f"/runs/{run.pk}/book/", follow=True).content.decode()
    assert "Bitte bestätigen Sie, dass die Zielgruppe und die Voraussetzungen" in refused
    assert not Enrolment.objects.exists()
    client.cookies["django_language"] = "en"
    refused_en = client.post(f"/runs/{run.pk}/book/", follow=True).content.decode()
    assert "Please confirm that the course" in refused_en
    client.cookies["django_language"] = "de"
    booked = client.post(f"/runs/{run.pk}/book/", {"requirements_ok": "1"}, follow=True)
    assert "Sie sind angemeldet" in booked.content.decode()
    assert Enrolment.objects.get().requirements_confirmed_at is not None


def test_a_course_for_everyone_shows_no_question(client):
    run = make_run()
    run.course.prerequisites = ""
    run.course.target_group = "both"
    run.course.save()
    client.force_login(verified_trainee())
    assert 'name="requirements_ok"' not in client.get(f"/runs/{run.pk}/").content.decode()


def test_business_form_names_the_missing_confirmation(client):
    business = BusinessFactory()
    contact = business_contact(business)
    person = trainee(business=business)
    run = demanding_run()
    client.force_login(contact)
    data = {"business": business.pk, "run": run.pk, "participants": [person.pk]}
    response = client.post("/business/book/", data)
    assert response.status_code == 409
    assert 'id="id_requirements_confirmed_error"' in response.content.decode()
    response = client.post("/business/book/", {**data, "requirements_confirmed": "on"})
    assert response.status_code == 302
    assert Enrolment.objects.get().requirements_confirmed_at is not None
