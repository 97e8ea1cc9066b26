"""The catalogue's layout for anonymous visitors is stored once per language (core.frames) and
filled in per response: the same bytes as a full rendering, each response its own working CSRF
token and CSP nonce, and nobody signed in (or with a message waiting) ever gets it."""

import copy
import re
from unittest import mock

import pytest
from csp.constants import NONCE, SELF
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.shortcuts import render
from django.test import Client, RequestFactory, override_settings
from django.utils.safestring import mark_safe

from core.frames import forget_frames
from tests.courses.booking_fixtures import make_run, verified_trainee

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_stored_frame():
    forget_frames()


TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]{32,64})')


def _page(client, path="/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _tokens(page: str) -> set[str]:
    return {match.group(2) for match in TOKEN.finditer(page)}


def _full_render(request, template_name, content):
    return render(request, template_name, {"content": mark_safe(content)})  # noqa: S308


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("path", ["/", "/?topic=1&page=2", '/?q=<b>"Löten"&x=1'])
def test_the_stored_frame_gives_the_bytes_of_a_full_rendering(client, language, path):
    make_run(course__title="Löten kompakt")
    client.cookies["django_language"] = language
    _page(client, "/?free=1")  # stores the frame from another request
    framed = _page(client, path)
    with mock.patch("courses.views.catalogue.render_framed", _full_render):
        full = _page(client, path)
    assert TOKEN.sub(r"\1", framed) == TOKEN.sub(r"\1", full)
    assert f'<html lang="{language}"' in framed
    assert f'name="next" type="hidden" value="{path[:3]}' in framed  # back to this path


def _layouts(response) -> list[str]:
    return [t.name for t in response.templates if t.name in {"base.html", "courses/catalogue.html"}]


def test_the_frame_is_rendered_once_and_then_only_filled_in(client):
    assert _layouts(client.get("/"))  # the first anonymous visit renders it
    assert not _layouts(client.get("/?free=1"))
    client.cookies["django_language"] = "en"
    assert _layouts(client.get("/"))  # each language has its own


def test_each_response_carries_its_own_working_csrf_token():
    browser = Client(enforce_csrf_checks=True)
    first, second = _page(browser), _page(browser)
    assert len(_tokens(first)) == len(_tokens(second)) == 1  # one per response, in 3 places
    assert _tokens(first) != _tokens(second)
    response = browser.post(
        "/i18n/setlang/",
        {"csrfmiddlewaretoken": _tokens(second).pop(), "language": "en", "next": "/"},
    )
    assert response.status_code == 302
    assert '<html lang="en"' in _page(browser)


def _catalogue_template(tmp_path, block: str) -> list:
    """TEMPLATES with a catalogue page whose content block is `block`, found first."""
    (tmp_path / "courses").mkdir()
    (tmp_path / "courses" / "catalogue.html").write_text(
        '{% extends "base.html" %}{% block content %}' + block + "{% endblock %}"
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    return templates


def test_each_response_carries_its_own_csp_nonce(client, tmp_path):
    templates = _catalogue_template(
        tmp_path, '<script nonce="{{ request.csp_nonce }}">1</script>{{ content }}'
    )
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["script-src"] = [SELF, NONCE]
    nonces = []
    with override_settings(TEMPLATES=templates, CONTENT_SECURITY_POLICY=policy):
        for _ in range(3):
            response = client.get("/")
            nonce = re.search(r'<script nonce="([^"]+)">', response.content.decode()).group(1)
            assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
            nonces.append(nonce)
    assert len(set(nonces)) == 3


def test_a_frame_asking_more_of_the_request_is_rendered_for_each(client, tmp_path):
    templates = _catalogue_template(tmp_path, "<p>[{{ request.GET.topic }}]</p>{{ content }}")
    with override_settings(TEMPLATES=templates):
        assert "<p>[1]</p>" in _page(client, "/?topic=1")
        assert "<p>[2]</p>" in _page(client, "/?topic=2")


@pytest.mark.parametrize("anonymous_first", [True, False])
def test_a_signed_in_user_never_gets_the_anonymous_frame(client, anonymous_first):
    person = verified_trainee(user__first_name="Jana", user__last_name="Beispiel")
    signed_in = Client()
    signed_in.force_login(person)
    if anonymous_first:
        _page(client)
    mine, theirs = _page(signed_in), _page(client)
    assert "Jana Beispiel" in mine and "Abmelden" in mine and "Anmelden" not in mine
    assert "Jana Beispiel" not in theirs and "Abmelden" not in theirs and "Anmelden" in theirs


def test_a_waiting_message_is_shown_once(client):
    _page(client)  # the frame is stored
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Gespeichert.")])
    assert "Gespeichert." in _page(client)
    assert "Gespeichert." not in _page(client)


def test_the_htmx_fragment_is_the_result_list_alone(client):
    make_run(course__title="Fräsen kompakt")
    fragment = client.get("/", headers={"HX-Request": "true"}).content.decode()
    assert "Fräsen kompakt" in fragment
    assert "<html" not in fragment and "csrfmiddlewaretoken" not in fragment
