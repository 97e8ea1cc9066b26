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
