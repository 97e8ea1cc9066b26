"""The booking journey through the real pages (allauth included): sign up, verify the e-mail,
book, land on the waiting list of a full run, cancel, and see the next person promoted."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from core.services.outbox import deliver_due_emails
from courses.models import Enrolment
from tests.courses.booking_fixtures import make_run
from tests.factories import BusinessFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Werkstatt-2026!"


def sign_up_and_verify(client, mailoutbox, email, business):
    response = client.post(
        "/accounts/signup/",
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "first_name": "Jana",
            "last_name": "Köhler",
            "kind": "apprentice",
            "business": business.pk,
            "occupation": "Elektronikerin",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # The confirmation goes through the outbox: its sweep sends it inside this test transaction
    # (the on-commit hand-off would only run when the test's capture block ends).
    deliver_due_emails(now=timezone.now() + dt.timedelta(minutes=5))
    mail = mailoutbox[-1]
    assert mail.to == [email]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.body).group(1)
    assert client.post(link).status_code == 302
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302


def test_sign_up_verify_book_wait_cancel_promote(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    business = BusinessFactory()
    run = make_run(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up_and_verify(client, mailoutbox, "jana@example.org", business)
        assert "Jetzt verbindlich buchen" in client.get(f"/runs/{run.pk}/").content.decode()
        page = client.post(f"/runs/{run.pk}/book/", follow=True).content.decode()
    assert "Sie sind angemeldet" in page
    assert mailoutbox[-1].subject.endswith(f"Anmeldung bestätigt: {run.course.title}")
    jana = Enrolment.objects.get(participant__email="jana@example.org")
    # A business named at sign-up counts for nothing: until it confirms her, she books privately.
    assert jana.business is None

    client.post("/accounts/logout/")
    with django_capture_on_commit_callbacks(execute=True):
        sign_up_and_verify(client, mailoutbox, "tom@example.org", business)
        page = client.get(f"/runs/{run.pk}/").content.decode()
        assert "Auf die Warteliste (Platz 1)" in page
        client.post(f"/runs/{run.pk}/book/")
    assert "Platz 1 auf der Warteliste" in client.get("/my/").content.decode()

    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": "jana@example.org", "password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my/enrolments/{jana.pk}/cancel/")
    promoted = mailoutbox[-1]
    assert promoted.to == ["tom@example.org"]
    assert "Ein Platz ist frei geworden" in promoted.subject
    assert Enrolment.objects.get(participant__email="tom@example.org").status == "confirmed"
