"""Privacy: the data export holds all of a person's data and nobody else's; deleting the account
anonymises enrolments, frees seats, removes the profile, and keeps certificates verifiable for
the retention period only."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Attendance, Enrolment
from courses.services.booking import book
from courses.services.privacy import delete_account, purge_expired_names
from people.models import TraineeProfile, User
from tests.courses.booking_fixtures import make_run, verified_trainee
from tests.factories import PASSWORD, trainee

pytestmark = pytest.mark.django_db


def finished_enrolment(person, name="Lena Müller"):
    run = make_run(day=-20, sessions=1)
    enrolment = Enrolment.objects.create(
        run=run, participant=person, participant_name=name, status="completed"
    )
    Attendance.objects.create(enrolment=enrolment, session=run.sessions.get(), status="present")
    return enrolment


def test_export_contains_my_data_only(client):
    person = verified_trainee()
    other = verified_trainee()
    mine = finished_enrolment(person)
    Certificate.objects.create(
        enrolment=mine, number="BBS1-2026-0007", verification_code="code7", issued_at=timezone.now()
    )
    book(run=make_run(), participant=other)
    client.force_login(person)
    response = client.get("/my/data.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == person.email
    assert data["profile"]["employer"] == person.trainee_profile.business.name
    assert [(e["business"], e["status"]) for e in data["employments"]] == [
        (person.trainee_profile.business.name, "confirmed")
    ]
    assert data["email_addresses"] == [{"email": person.email, "verified": True, "primary": True}]
    (enrolment,) = data["enrolments"]
    assert enrolment["course"] == mine.run.course.title
    assert enrolment["attendance"][0]["status"] == "present"
    assert enrolment["certificates"][0]["number"] == "BBS1-2026-0007"
    assert enrolment["certificates"][0]["verification_url"].endswith("/verify/code7/")
    assert other.email not in response.content.decode()


def test_export_needs_login(client):
    assert client.get("/my/data.json").status_code == 302


def test_delete_needs_the_right_password(client):
    person = verified_trainee()
    client.force_login(person)
    response = client.post("/my/delete/", {"password": "falsch", "confirm": "on"})
    assert response.status_code == 200
    assert "Das Passwort ist nicht richtig." in response.content.decode()
    person.refresh_from_db()
    assert person.is_active and person.anonymised_at is None


def test_delete_anonymises_cancels_and_keeps_certificates_verifiable(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    person = verified_trainee()
    email = person.email
    certified = finished_enrolment(person, name="Lena Müller")
    cert = Certificate.objects.create(
        enrolment=certified,
        number="BBS1-2026-0001",
        verification_code="verify-me",
        issued_at=timezone.now(),
        data={"participant_name": "Lena Müller"},
    )
    uncertified = finished_enrolment(person)
    full = make_run(capacity=1)
    seat = book(run=full, participant=person)
    waiting = book(run=full, participant=verified_trainee())

    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/my/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302

    person.refresh_from_db()
    assert not person.is_active and person.anonymised_at is not None
    assert person.email != email and not person.first_name and not person.has_usable_password()
    assert not TraineeProfile.objects.filter(user=person).exists()
    assert not person.employments.exists()  # the business no longer lists the deleted account
    assert not Enrolment.objects.filter(participant=person).exists()
    certified.refresh_from_db()
    uncertified.refresh_from_db()
    seat.refresh_from_db()
    waiting.refresh_from_db()
    assert certified.participant is None and certified.participant_name == "Lena Müller"
    assert uncertified.participant is None and uncertified.participant_name == ""
    assert seat.status == "cancelled" and seat.participant_name == ""
    assert waiting.status == "confirmed"  # the freed seat went to the next one
    assert Certificate.objects.get(pk=cert.pk).data["participant_name"] == "Lena Müller"
    assert email not in [m.to[0] for m in mailoutbox]  # nothing sent to a deleted address
    # the old login no longer works
    assert not client.login(email=email, password=PASSWORD)
    assert User.objects.filter(email=email).count() == 0


def test_kept_names_go_when_retention_ends(settings):
    person = trainee()
    enrolment = finished_enrolment(person, name="Ömer Yılmaz")
    Certificate.objects.create(
        enrolment=enrolment,
        number="BBS1-2020-0001",
        verification_code="old-one",
        issued_at=timezone.now() - dt.timedelta(days=30),
    )
    delete_account(user=person)
    enrolment.refresh_from_db()
    assert enrolment.participant_name == "Ömer Yılmaz"
    assert purge_expired_names() == 0
    settings.CERTIFICATE_RETENTION_DAYS = 10
    assert purge_expired_names() == 1
    enrolment.refresh_from_db()
    assert enrolment.participant_name == ""
