"""A business contact removing an employee is asked first, on a page that names the person and the
bookings that stay; the removal goes through the people service, is audited, and the person is
told by e-mail through the outbox."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.models import AuditEntry, OutboxEmail
from courses.models import Enrolment
from people.models import Employment
from tests.factories import (
    BusinessFactory,
    EnrolmentFactory,
    business_contact,
    trainee,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def business():
    return BusinessFactory(name="Tischlerei Schröder")


@pytest.fixture
def contact(business):
    return business_contact(business)


@pytest.fixture
def employee(business):
    return trainee(business=business, user__first_name="Jana", user__last_name="Köhler")


def test_the_people_page_asks_before_removing(client, business, contact, employee):
    link = employee.employments.get()
    client.force_login(contact)
    page = client.get(f"/business/people/?business={business.pk}").content.decode()
    # "Entfernen" leads to a question, it does not submit the removal.
    assert f'href="/employment/{link.pk}/end/"' in page
    assert f'action="/employment/{link.pk}/end/"' not in page


def test_the_question_names_the_person_and_the_bookings_that_stay(
    client, business, contact, employee
):
    ahead = EnrolmentFactory(
        participant=employee, business=business, run__course__title="CNC-Fräsen Grundkurs"
    )
    EnrolmentFactory(  # over already: nothing at stake
        participant=employee,
        business=business,
        run__course__title="Lasern von gestern",
        run__starts_at=timezone.now() - dt.timedelta(days=30),
        run__ends_at=timezone.now() - dt.timedelta(days=29),
    )
    EnrolmentFactory(  # the person's private booking: not the business's
        participant=employee, business=None, run__course__title="Privat gebucht"
    )
    EnrolmentFactory(  # cancelled: nothing at stake
        participant=employee,
        business=business,
        status=Enrolment.Status.CANCELLED,
        run__course__title="Storniert",
    )
    link = employee.employments.get()
    client.force_login(contact)
    response = client.get(f"/employment/{link.pk}/end/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Jana Köhler aus Tischlerei Schröder entfernen?" in page
    assert ahead.run.course.title in page and "bleibt bestehen" in page
    for other in ("Lasern von gestern", "Privat gebucht", "Storniert"):
        assert other not in page
    link.refresh_from_db()
    assert link.status == Employment.Status.CONFIRMED  # asking changed nothing
    assert not OutboxEmail.objects.exists()


def test_confirming_removes_audits_and_tells_the_person_through_the_outbox(
    client, business, contact, employee, django_capture_on_commit_callbacks
):
    link = employee.employments.get()
    client.force_login(contact)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/employment/{link.pk}/end/")
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == Employment.Status.ENDED and link.ended_by == contact
    entry = AuditEntry.objects.get(action="employment.ended")
    assert entry.actor_id == contact.pk and entry.data.get("reason") == "removed_by_business"

    [queued] = OutboxEmail.objects.all()
    assert queued.to == [employee.email]
    assert queued.subject == "[Lernwerkstatt] Tischlerei Schröder hat Sie aus dem Betrieb entfernt"
    assert [m.to for m in mail.outbox] == [[employee.email]]
    assert "Privatperson" in mail.outbox[0].body and "Jana Köhler" in mail.outbox[0].body
    followed = client.get(response["Location"]).content.decode()
    assert "Jana Köhler gehört nicht mehr zu Ihrem Betrieb" in followed


def test_a_person_who_leaves_gets_no_mail(client, business, employee):
    link = employee.employments.get()
    client.force_login(employee)
    assert "Verbindung zu Tischlerei Schröder beenden?" in (
        client.get(f"/employment/{link.pk}/end/").content.decode()
    )
    client.post(f"/employment/{link.pk}/end/")
    link.refresh_from_db()
    assert link.status == Employment.Status.ENDED
    assert not OutboxEmail.objects.exists()


def test_another_business_sees_no_question(client, employee):
    link = employee.employments.get()
    client.force_login(business_contact(BusinessFactory()))
    assert client.get(f"/employment/{link.pk}/end/").status_code == 404


def test_a_removal_already_done_asks_nothing(client, business, contact, employee):
    from people.services import employment_end

    link = employee.employments.get()
    employment_end(employment=link, actor=contact)
    client.force_login(contact)
    response = client.get(f"/employment/{link.pk}/end/")
    assert response.status_code == 302
    assert client.post(f"/employment/{link.pk}/end/").status_code == 302
    assert AuditEntry.objects.filter(action="employment.ended").count() == 1
