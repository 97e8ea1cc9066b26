"""The catalogue's content is cached for everyone while nothing it shows has changed: a booking,
a deleted run or the booking deadline passing shows at once, and the page around the content
stays each person's own (name, tokens)."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.services.booking import book
from tests.courses.booking_fixtures import make_run, verified_trainee
from tests.freshness import settle_catalogue

pytestmark = pytest.mark.django_db


def _page(client, path="/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _seats(page: str, title: str) -> str:
    row = page[page.index(title) :]
    return re.search(r'data-label="Freie Plätze">([^<]*)<', row).group(1).strip()


def test_a_cached_catalogue_takes_one_statement_and_shows_a_booking_at_once(client):
    run = make_run(capacity=3, course__title="Lasergravur kompakt")
    settle_catalogue()
    assert _seats(_page(client), "Lasergravur kompakt") == "3"
    with CaptureQueriesContext(connection) as queries:
        assert _seats(_page(client), "Lasergravur kompakt") == "3"
    assert len(queries) == 1  # the stamps; the content comes from the cache
    book(run=run, participant=verified_trainee())
    assert _seats(_page(client), "Lasergravur kompakt") == "2"


def test_a_deleted_run_leaves_the_cached_catalogue(client):
    run = make_run(course__title="Robotik kompakt")
    make_run(course__title="Robotik für Fortgeschrittene")  # its stamps stay the newest
    link = f'href="/runs/{run.pk}/"'
    settle_catalogue()
    assert link in _page(client)
    run.sessions.all().delete()
    run.delete()
    assert link not in _page(client)


def test_a_run_leaves_the_cached_catalogue_when_its_booking_closes(client):
    run = make_run(course__title="CNC kompakt")
    link = f'href="/runs/{run.pk}/"'
    settle_catalogue()
    assert link in _page(client)
    later = run.booking_closes_at + dt.timedelta(minutes=1)
    with mock.patch.object(timezone, "now", return_value=later):
        page = _page(client)
    assert link not in page
    assert "CNC kompakt" in page  # now among the courses without a run to book


def test_the_page_around_the_cached_content_is_each_persons_own(client):
    make_run(course__title="SPS kompakt")
    settle_catalogue()
    person = verified_trainee(user__first_name="Jana", user__last_name="Beispiel")
    signed_in = Client()
    signed_in.force_login(person)
    mine = _page(signed_in)
    theirs = _page(client)
    assert "SPS kompakt" in mine and "SPS kompakt" in theirs
    assert "Jana Beispiel" in mine
    assert "Jana Beispiel" not in theirs
    token = re.compile(r'"X-CSRFToken": "([^"]+)"')
    assert token.search(mine).group(1) != token.search(theirs).group(1)


def test_each_language_and_filter_has_its_own_cached_content(client):
    make_run(course__title="Drucken kompakt")
    settle_catalogue()
    assert "Kursangebot" in _page(client)
    assert "Drucken kompakt" not in _page(client, "/?date_from=2099-01-01")
    with CaptureQueriesContext(connection) as queries:
        assert "Drucken kompakt" not in _page(client, "/?date_from=2099-01-01")
    assert len(queries) == 1
    client.cookies["django_language"] = "en"
    english = _page(client)
    assert "Drucken kompakt" in english and '<html lang="en"' in english


def test_a_free_text_search_is_answered_but_not_cached(client):
    make_run(course__title="Schweißen kompakt")
    settle_catalogue()
    assert "Schweißen kompakt" in _page(client, "/?q=schwei")
    with CaptureQueriesContext(connection) as queries:
        assert "Schweißen kompakt" in _page(client, "/?q=schwei")
    assert len(queries) > 1
