"""Webhook targets must be public internet hosts when WEBHOOK_ALLOW_PRIVATE_TARGETS is off (the
production default): registration refuses private targets with a 422 naming `url`, and the
delivery re-checks (DNS may change) and logs the attempt as refused without sending."""

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from api.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from api.services import create_webhook
from courses.services.booking import book
from tests.factories import CourseRunFactory, SessionFactory, TraineeProfileFactory

from .conftest import free_port

PORT = free_port()
PRIVATE_URLS = [
    "http://127.0.0.1/hook",
    "https://10.0.0.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:8080/hook",
    "http://localhost:8000/hook",  # a hostname that resolves to loopback
    "http://[::ffff:127.0.0.1]/hook",  # IPv4-mapped IPv6 loopback
    "http://0.0.0.0/hook",
    "http://192.168.1.20/hook",
]


@pytest.mark.django_db
@override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=False)
@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_registering_a_private_target_is_refused_with_422_on_url(api, url):
    response = api.post(
        "/api/v1/webhooks/", {"url": url, "events": ["enrolment.created"]}, format="json"
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "url"
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
@override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=False)
def test_moving_a_webhook_to_a_private_target_is_refused_and_a_public_one_accepted(api):
    created = api.post(
        "/api/v1/webhooks/",
        {"url": "https://93.184.216.34/hook", "events": ["enrolment.created"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    webhook_id = created.json()["id"]
    moved = api.patch(
        f"/api/v1/webhooks/{webhook_id}/", {"url": "http://169.254.169.254/"}, format="json"
    )
    assert moved.status_code == 422, moved.content
    assert moved.json()["errors"][0]["field"] == "url"
    assert WebhookEndpoint.objects.get(pk=webhook_id).url == "https://93.184.216.34/hook"


@pytest.mark.django_db
def test_private_targets_are_allowed_when_the_setting_is_on(api, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    response = api.post(
        "/api/v1/webhooks/",
        {"url": "http://127.0.0.1:9/hook", "events": ["enrolment.created"]},
        format="json",
    )
    assert response.status_code == 201


class _Receiver:
    def __init__(self):
        self.hits = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                receiver.hits += 1
                self.rfile.read(int(self.headers["Content-Length"]))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.django_db(transaction=True)
def test_delivery_rechecks_the_target_and_logs_the_refusal(chamber, member, settings, caplog):
    # Registered while allowed (think: the name resolved publicly then, privately now).
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    create_webhook(
        chamber=chamber, url=f"http://localhost:{PORT}/hook", events=["enrolment.created"]
    )
    run = CourseRunFactory(capacity=5, min_participants=0)
    SessionFactory(run=run)
    apprentice = TraineeProfileFactory(business=member)
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    with (
        _Receiver() as receiver,
        caplog.at_level(logging.WARNING, logger="api.services.deliveries"),
    ):
        book(run=run, participant=apprentice.user, source="api")
    assert receiver.hits == 0  # nothing reached the internal server
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert attempt.error.startswith("refused")
    assert "refused" in caplog.text
    assert WebhookDelivery.objects.get().status == "pending"  # retried; fails after a day


@pytest.mark.django_db(transaction=True)
def test_delivery_to_an_allowed_local_target_still_works(chamber, member, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    create_webhook(
        chamber=chamber, url=f"http://127.0.0.1:{PORT}/hook", events=["enrolment.created"]
    )
    run = CourseRunFactory(capacity=5, min_participants=0)
    SessionFactory(run=run)
    with _Receiver() as receiver:
        book(run=run, participant=TraineeProfileFactory(business=member).user, source="api")
    assert receiver.hits == 1
    assert WebhookDelivery.objects.get().status == "delivered"


@pytest.mark.django_db(transaction=True)
def test_dns_rebinding_between_check_and_connect_is_refused(chamber, member, settings, monkeypatch):
    """The name passes the check with a public answer, then resolves to 127.0.0.1 when the
    connection is made: the peer address itself is checked, nothing reaches the server."""
    from core import netguard

    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    create_webhook(
        chamber=chamber, url=f"http://localhost:{PORT}/hook", events=["enrolment.created"]
    )
    run = CourseRunFactory(capacity=5, min_participants=0)
    SessionFactory(run=run)
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    monkeypatch.setattr(netguard, "resolve", lambda host, port: ["93.184.216.34"])
    with _Receiver() as receiver:
        book(run=run, participant=TraineeProfileFactory(business=member).user, source="api")
    assert receiver.hits == 0
    attempt = WebhookAttempt.objects.get()
    assert attempt.error.startswith("refused")
    assert "127.0.0.1" in attempt.error
