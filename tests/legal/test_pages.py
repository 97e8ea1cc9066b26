"""The pages a German public body must publish, linked from every page, filled from settings; the
accessibility statement's feedback form reaches the district admins; error pages in the layout."""

import pytest
from django.core import mail
from django.test import RequestFactory, override_settings
from django.views import defaults

from legal.models import BarrierReport
from tests.factories import district_admin

pytestmark = pytest.mark.django_db

PAGES = {
    "/impressum/": "Impressum",
    "/datenschutz/": "Datenschutzerklärung",
    "/barrierefreiheit/": "Erklärung zur Barrierefreiheit",
    "/leichte-sprache/": "So buchen Sie einen Kurs",
}


@pytest.mark.parametrize("path", ["/", "/impressum/", "/accounts/login/"])
def test_every_page_links_the_four_pages_in_its_footer(client, path):
    page = client.get(path).content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    for address in PAGES:
        assert f'href="{address}"' in footer


@pytest.mark.parametrize(("path", "heading"), PAGES.items())
def test_pages_answer_in_german_and_english(client, path, heading):
    german = client.get(path)
    assert german.status_code == 200
    assert heading in german.content.decode()
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    assert heading not in english.content.decode()


@override_settings(
    LEGAL_PUBLISHER="Landkreis Musterland",
    LEGAL_ADDRESS="Am Markt 3 | 99999 Musterstadt",
    LEGAL_REPRESENTATIVE="Landrat Max Muster",
    LEGAL_CONTACT_EMAIL="info@musterland.example",
)
def test_imprint_is_filled_from_settings(client):
    page = client.get("/impressum/").content.decode()
    for text in [
        "Landkreis Musterland",
        "Am Markt 3<br>",
        "99999 Musterstadt",
        "Landrat Max Muster",
    ]:
        assert text in page
    assert "mailto:info@musterland.example" in page


@override_settings(CERTIFICATE_RETENTION_DAYS=365 * 7, DEMAND_INTEREST_DAYS=90)
def test_privacy_notice_states_the_configured_retention(client):
    page = client.get("/datenschutz/").content.decode()
    assert "Bescheinigungen 7 Jahre" in page
    assert "90 Tage" in page


def test_barrier_report_is_stored_and_mailed_to_the_district_admins(
    client, django_capture_on_commit_callbacks
):
    admin = district_admin()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/barrierefreiheit/",
            {
                "message": "Der Kalender lässt sich nicht mit der Tastatur bedienen.",
                "page_url": "/staff/calendar/",
                "email": "hilfe@example.org",
            },
        )
    assert response.status_code == 302
    report = BarrierReport.objects.get()
    assert report.page_url == "/staff/calendar/"
    [message] = mail.outbox
    assert message.to == [admin.email]
    assert message.reply_to == ["hilfe@example.org"]
    assert "/staff/calendar/" in message.subject
    assert "nicht mit der Tastatur" in message.body


def test_barrier_report_refuses_an_empty_message_and_control_characters(client):
    response = client.post("/barrierefreiheit/", {"message": "  ", "name": "Eve\r\nBcc: x@y"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "message" in form.errors and "name" in form.errors
    assert not BarrierReport.objects.exists()


def test_not_found_page_is_in_the_layout_with_a_way_back(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Diese Seite gibt es nicht" in page
    assert 'href="/"' in page and '<footer class="site-footer">' in page
    english = client.get("/gibt-es-nicht/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Diese Seite gibt es nicht" not in english and 'lang="en"' in english


def test_forbidden_page_is_in_the_layout(client):
    from tests.factories import trainee

    client.force_login(trainee())
    response = client.get("/staff/")
    assert response.status_code == 403
    assert "keinen Zugriff" in response.content.decode()


def test_server_error_and_bad_request_pages_render_without_a_request_context():
    request = RequestFactory().get("/")
    error = defaults.server_error(request)
    assert error.status_code == 500
    assert "Hier ist etwas schiefgegangen" in error.content.decode()
    bad = defaults.bad_request(request, exception=None)
    assert bad.status_code == 400
    assert "nicht verarbeiten" in bad.content.decode()
