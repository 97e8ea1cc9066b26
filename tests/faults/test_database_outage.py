"""A database outage answers 503 with Retry-After and a page in the site's layout, never a bare
500; the API answers a problem+json 503."""

import pytest
from django.test import Client

from tests.factories import trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    # A real client gets the error page, not the exception the test client re-raises.
    return Client(raise_request_exception=False)


def test_a_page_during_a_database_outage_is_503_in_the_layout(browser, database_down):
    database_down()
    response = browser.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Kurz nicht erreichbar" in page
    assert 'class="site-header"' in page and 'class="site-footer"' in page
    assert "Server Error" not in page


def test_a_signed_in_user_gets_the_same_page_in_english(browser, database_down):
    browser.force_login(trainee())
    database_down()  # the session and the user can no longer be read either
    response = browser.get("/my/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    page = response.content.decode()
    assert "briefly unavailable" in page.lower()
    assert '<html lang="en"' in page


def test_only_the_database_being_gone_is_an_outage(rf):
    from config.errors import server_error

    from .outages import driver_error

    request = rf.get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500
    try:
        try:
            raise driver_error()
        except Exception as exc:
            raise RuntimeError("while rendering") from exc
    except RuntimeError:
        assert server_error(request).status_code == 503


def test_a_booking_whose_database_goes_away_after_the_commit_answers_as_booked(
    browser, database_down, monkeypatch
):
    """Measured in bench/fault_burst.py: the waiting-list place was read after the commit, so a
    connection lost right then answered 503 to a person who was booked."""
    from courses.models import Enrolment
    from courses.services import booking
    from tests.courses.booking_fixtures import make_run, verified_trainee

    run = make_run(capacity=1)
    booking.book(run=run, participant=verified_trainee())
    person = verified_trainee()
    browser.force_login(person)
    real_book = booking.book

    def book_then_database_gone(**kwargs):
        enrolment = real_book(**kwargs)
        database_down()
        return enrolment

    monkeypatch.setattr(booking, "book", book_then_database_gone)
    response = browser.post(f"/runs/{run.pk}/book/")
    monkeypatch.undo()
    assert response.status_code == 302, response.content[:300]
    assert Enrolment.objects.get(run=run, participant=person).status == "waitlisted"
    page = browser.get(response["Location"]).content.decode()
    assert "Platz 1 der Warteliste" in page
