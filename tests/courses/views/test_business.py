"""The business area as a contact of a craft business sees it: booking several people at once,
cancelling for them, the approval page, and who else may not come in."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Enrolment
from courses.services.booking import book
from tests.courses.booking_fixtures import make_run, verified_trainee
from tests.factories import BusinessFactory, business_contact, trainee

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_business_contact_books_two_apprentices_at_once_and_cancels_for_one(client):
    business = BusinessFactory()
    contact = business_contact(business)
    anna, ben = trainee(business=business), trainee(business=business)
    outsider = trainee()
    run = make_run(capacity=1)
    client.force_login(contact)
    page = html(client.get("/business/"))
    assert anna.get_full_name() in page and outsider.email not in page
    response = client.post(
        "/business/book/",
        {"business": business.pk, "run": run.pk, "participants": [anna.pk, ben.pk]},
        follow=True,
    )
    assert "1 angemeldet, 1 auf der Warteliste" in html(response)
    assert Enrolment.objects.filter(run=run, business=business).count() == 2
    first = Enrolment.objects.get(participant=anna)
    client.post(f"/business/enrolments/{first.pk}/cancel/")
    first.refresh_from_db()
    assert first.status == "cancelled"
    assert Enrolment.objects.get(participant=ben).status == "confirmed"


def test_business_booking_rejects_outsiders_with_a_form_error(client):
    business = BusinessFactory()
    contact = business_contact(business)
    run = make_run()
    client.force_login(contact)
    response = client.post(
        "/business/book/", {"business": business.pk, "run": run.pk, "participants": [trainee().pk]}
    )
    assert response.status_code == 422
    assert not Enrolment.objects.exists()


def test_business_area_is_closed_to_others(client):
    client.force_login(trainee())
    assert client.get("/business/").status_code == 403
    enrolment = book(run=make_run(), participant=verified_trainee())
    client.force_login(business_contact())
    assert client.post(f"/business/enrolments/{enrolment.pk}/cancel/").status_code == 404


def test_approval_page_approves_and_decides_only_once(client):
    run = make_run(requires_employer_approval=True)
    person = verified_trainee()
    contact = business_contact(person.trainee_profile.business)
    pending = book(run=run, participant=person)
    url = f"/business/approvals/{pending.approval_token}/"
    client.force_login(business_contact())
    assert client.get(url).status_code == 404
    client.force_login(contact)
    assert "Freigeben" in html(client.get(url))
    client.post(url, {"decision": "approve"})
    pending.refresh_from_db()
    assert pending.status == "confirmed"
    assert "bereits entschieden" in html(client.get(url))


def test_business_area_runs_a_fixed_number_of_queries(client):
    business = BusinessFactory()
    contact = business_contact(business)
    client.force_login(contact)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/business/").status_code == 200
        return len(ctx.captured_queries)

    book(run=make_run(), participant=verified_trainee(business=business))
    small = queries()
    for i in range(8):
        book(run=make_run(day=40 + 2 * i), participant=verified_trainee(business=business))
    book(
        run=make_run(requires_employer_approval=True, day=70),
        participant=verified_trainee(business=business),
    )
    assert queries() == small
