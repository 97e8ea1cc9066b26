"""The employment pages: a person asks by member number or code on "Mein Arbeitgeber"; the
business contact confirms, refuses, invites and removes on "Beschäftigte"; nobody else can."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from people.models import Employment, TraineeProfile
from tests.factories import BusinessFactory, ChamberFactory, UserFactory, business_contact, trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def business():
    return BusinessFactory(
        name="Tischlerei Schröder", member_number="HWK-10427", chamber=ChamberFactory(code="HWK")
    )


@pytest.fixture
def contact(business):
    return business_contact(business)


@pytest.fixture
def person():
    user = UserFactory(first_name="Jana", last_name="Köhler", email="jana@example.org")
    TraineeProfile.objects.create(user=user)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _ask(client, business, number=None):
    return client.post(
        "/my/employer/ask/",
        {"chamber": business.chamber_id, "member_number": number or business.member_number},
    )


def test_person_asks_by_member_number_and_the_contact_confirms(
    client, person, business, contact, django_capture_on_commit_callbacks
):
    client.force_login(person)
    page = client.get("/my/employer/")
    assert page.status_code == 200 and "Mitgliedsnummer des Betriebs" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, business, " HWK-10427 ")
    assert response.status_code == 302
    assert "angefragt" in client.get("/my/employer/").content.decode()
    assert mail.outbox[-1].to == [contact.email]

    client.force_login(contact)
    page = client.get("/business/people/").content.decode()
    assert "Offene Anfragen" in page and "Jana Köhler" in page
    employment = Employment.objects.get()
    assert "Jana Köhler" not in client.get("/business/").content.decode()  # not one of theirs yet
    client.post(f"/business/people/{employment.pk}/decide/", {"decision": "confirm"})
    employment.refresh_from_db()
    assert employment.status == Employment.Status.CONFIRMED
    assert "Jana Köhler" in client.get("/business/").content.decode()


def test_unknown_member_number_is_a_form_error(client, person, business):
    client.force_login(person)
    response = _ask(client, business, "NO-SUCH")
    assert response.status_code == 422
    assert "Kein aktiver Betrieb mit dieser Mitgliedsnummer" in response.content.decode()
    assert not Employment.objects.exists()


def test_another_business_cannot_decide_or_remove(client, person, business):
    _ask_as = client
    _ask_as.force_login(person)
    _ask(_ask_as, business)
    employment = Employment.objects.get()
    client.force_login(business_contact(BusinessFactory()))
    assert (
        client.post(
            f"/business/people/{employment.pk}/decide/", {"decision": "confirm"}
        ).status_code
        == 404
    )
    assert client.post(f"/employment/{employment.pk}/end/").status_code == 404
    client.force_login(trainee())
    assert client.get("/business/people/").status_code == 403
    employment.refresh_from_db()
    assert employment.status == Employment.Status.REQUESTED


def test_contact_refuses_and_removes(client, person, business, contact):
    client.force_login(person)
    _ask(client, business)
    client.force_login(contact)
    requested = Employment.objects.get()
    client.post(f"/business/people/{requested.pk}/decide/", {"decision": "refuse"})
    requested.refresh_from_db()
    assert requested.status == Employment.Status.REFUSED

    employee = trainee(business=business)
    link = employee.employments.get()
    response = client.post(f"/employment/{link.pk}/end/")
    assert response.status_code == 302
    client.get(response["Location"])  # the page that says who was removed
    link.refresh_from_db()
    assert link.status == Employment.Status.ENDED
    assert employee.get_full_name() not in client.get("/business/").content.decode()


def test_contact_invites_by_email_and_the_person_accepts_through_the_link(
    client, person, business, contact, django_capture_on_commit_callbacks
):
    client.force_login(contact)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/business/people/invite/", {"business": business.pk, "email": person.email}
        )
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == [person.email] and "\n" not in message.subject
    path = re.search(r"https?://[^/\s]+(/employment/invitations/\S+/)", message.body).group(1)
    assert person.email in client.get("/business/people/").content.decode()  # open invitation

    client.force_login(person)
    page = client.get(path)
    assert page.status_code == 200 and "Tischlerei Schröder" in page.content.decode()
    client.post(path)
    assert Employment.objects.get(user=person).status == Employment.Status.CONFIRMED
    assert client.get(path).status_code == 404  # used


def test_code_typed_on_my_employer_page(client, person, business, contact):
    from people.services import invitation_create

    _invitation, code = invitation_create(business=business, email=person.email, actor=contact)
    client.force_login(person)
    assert client.post("/my/employer/code/", {"code": "WRONG-CODE"}).status_code == 409
    client.post("/my/employer/code/", {"code": code})
    assert Employment.objects.get(user=person).status == Employment.Status.CONFIRMED


def test_person_withdraws_a_request(client, person, business):
    client.force_login(person)
    _ask(client, business)
    employment = Employment.objects.get()
    client.post(f"/employment/{employment.pk}/end/")
    employment.refresh_from_db()
    assert employment.status == Employment.Status.ENDED


def test_pages_answer_in_english(client, person, business, contact):
    client.force_login(person)
    person.language = "en"
    person.save()
    page = client.get("/my/employer/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My employer" in page
