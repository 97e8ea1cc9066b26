"""Webhook delivery (api.services.deliveries, api.tasks) against a real HTTP receiver on
127.0.0.1: signature, retry, nothing on rollback; the target is checked again at delivery (DNS may
have changed) and a refused attempt is logged without sending."""

import datetime as dt
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from api import tasks
from api.models import WebhookAttempt, WebhookDelivery
from api.services.webhooks import create_webhook
from core.models import DomainEvent
from courses.services.booking import book
from tests.factories import CourseRunFactory, SessionFactory, TraineeProfileFactory

from .conftest import free_port

PORT = free_port()  # the receiver's
CLOSED_PORT = free_port()  # nothing listens there


class Receiver:
    def __init__(self, fail_first: int = 0):
        self.requests: list[dict] = []
        self.fail_first = fail_first
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                failing = len(receiver.requests) <= receiver.fail_first
                self.send_response(503 if failing else 204)
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


def _verify(secret: str, request: dict) -> dict:
    """The Standard Webhooks reference library verifies what the receiver got (it raises
    WebhookVerificationError on a bad signature or a timestamp off by more than five minutes)."""
    body = Webhook(secret).verify(request["body"], request["headers"])
    assert body["id"] == {k.lower(): v for k, v in request["headers"].items()}["webhook-id"]
    return body


@pytest.fixture
def booking_world(chamber, member):
    run = CourseRunFactory(capacity=5, min_participants=0)
    SessionFactory(run=run)
    apprentice = TraineeProfileFactory(business=member, lehrlingsrolle_number="LR-W1")
    return run, apprentice


@pytest.mark.django_db(transaction=True)
def test_booking_through_the_api_sends_signed_webhooks(api, chamber, booking_world):
    run, _apprentice = booking_world
    endpoint, secret = create_webhook(
        chamber=chamber,
        url=f"http://127.0.0.1:{PORT}/hook",
        events=["enrolment.created", "enrolment.confirmed"],
    )
    with Receiver() as receiver:
        response = api.post(
            "/api/v1/enrolments/", {"run": run.pk, "trainee": "LR-W1"}, format="json"
        )
        assert response.status_code == 201
    assert len(receiver.requests) == 2
    bodies = [_verify(secret, r) for r in receiver.requests]
    assert {b["type"] for b in bodies} == {"enrolment.created", "enrolment.confirmed"}
    created = next(b for b in bodies if b["type"] == "enrolment.created")
    assert created["data"]["id"] == response.json()["id"]
    assert WebhookDelivery.objects.filter(status="delivered").count() == 2

    log = api.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/").json()["results"]
    assert {d["event_type"] for d in log} == {"enrolment.created", "enrolment.confirmed"}
    assert all(d["attempt_log"][0]["status_code"] == 204 for d in log)

    # A changed body no longer matches the signature.
    tampered = {**receiver.requests[0], "body": receiver.requests[0]["body"] + b" "}
    with pytest.raises(WebhookVerificationError):
        _verify(secret, tampered)


@pytest.mark.django_db(transaction=True)
def test_a_failed_delivery_is_retried_with_backoff(api, chamber, booking_world):
    run, _apprentice = booking_world
    endpoint, secret = create_webhook(
        chamber=chamber, url=f"http://127.0.0.1:{PORT}/hook", events=["enrolment.created"]
    )
    with Receiver(fail_first=1) as receiver:
        api.post("/api/v1/enrolments/", {"run": run.pk, "trainee": "LR-W1"}, format="json")
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "pending"
        assert delivery.attempts == 1
        wait = delivery.next_attempt_at - timezone.now()
        assert dt.timedelta(seconds=20) < wait <= dt.timedelta(seconds=31)

        assert tasks.deliver_due() == 0  # not due yet: nothing is sent early
        WebhookDelivery.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
        assert tasks.deliver_due() == 1
        assert tasks.deliver_due() == 0  # delivered: never sent again
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert delivery.attempts == 2
    assert [a.status_code for a in WebhookAttempt.objects.order_by("at")] == [503, 204]
    assert len(receiver.requests) == 2
    # The retry carries the same event id (receivers deduplicate on it) and a fresh signature.
    first, second = (_verify(secret, r) for r in receiver.requests)
    assert first["id"] == second["id"]
    log = api.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/").json()["results"][0]
    assert [a["status_code"] for a in log["attempt_log"]] == [503, 204]


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_endpoint_gives_up_after_a_day(chamber, booking_world):
    run, apprentice = booking_world
    create_webhook(
        chamber=chamber, url=f"http://127.0.0.1:{CLOSED_PORT}/", events=["enrolment.created"]
    )
    book(run=run, participant=apprentice.user, source="api")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending"
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert "refused" in attempt.error.lower()
    DomainEvent.objects.update(created_at=timezone.now() - dt.timedelta(days=1))
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    tasks.deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.next_attempt_at is None


@pytest.mark.django_db(transaction=True)
def test_no_event_is_sent_for_a_rolled_back_change(chamber, booking_world):
    run, apprentice = booking_world
    create_webhook(
        chamber=chamber, url=f"http://127.0.0.1:{PORT}/hook", events=["enrolment.created"]
    )
    with Receiver() as receiver:
        with pytest.raises(RuntimeError), transaction.atomic():
            book(run=run, participant=apprentice.user, source="api")
            raise RuntimeError("something later in the same transaction failed")
        assert not DomainEvent.objects.exists()
        assert not WebhookDelivery.objects.exists()
        # A committed change right after is delivered: the receiver was listening all along.
        book(run=run, participant=apprentice.user, source="api")
    assert [json.loads(r["body"])["type"] for r in receiver.requests] == ["enrolment.created"]


@pytest.mark.django_db(transaction=True)
def test_events_of_other_chambers_and_unsubscribed_types_are_not_sent(
    chamber, other_chamber, booking_world
):
    run, apprentice = booking_world
    create_webhook(
        chamber=other_chamber, url=f"http://127.0.0.1:{PORT}/hook", events=["enrolment.created"]
    )
    create_webhook(
        chamber=chamber, url=f"http://127.0.0.1:{PORT}/hook", events=["certificate.issued"]
    )
    with Receiver() as receiver:
        book(run=run, participant=apprentice.user, source="api")
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_nothing_is_lost_when_the_receiver_of_the_event_never_ran(chamber, booking_world):
    from core.events import event_committed

    run, apprentice = booking_world
    create_webhook(
        chamber=chamber, url=f"http://127.0.0.1:{PORT}/hook", events=["enrolment.created"]
    )
    # As if the web process died right after the commit: no delivery row was created.
    event_committed.disconnect(dispatch_uid="api.signals.on_event_committed", sender=DomainEvent)
    try:
        book(run=run, participant=apprentice.user, source="api")
    finally:
        from api.signals import on_event_committed

        event_committed.connect(
            on_event_committed, sender=DomainEvent, dispatch_uid="api.signals.on_event_committed"
        )
    assert not WebhookDelivery.objects.exists()
    DomainEvent.objects.update(created_at=timezone.now() - dt.timedelta(minutes=1))
    with Receiver() as receiver:
        tasks.deliver_due()
    assert [json.loads(r["body"])["type"] for r in receiver.requests] == ["enrolment.created"]
    assert WebhookDelivery.objects.get().status == "delivered"


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
        Receiver() as receiver,
        caplog.at_level(logging.WARNING, logger="api.services.deliveries"),
    ):
        book(run=run, participant=apprentice.user, source="api")
    assert len(receiver.requests) == 0  # nothing reached the internal server
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
    with Receiver() as receiver:
        book(run=run, participant=TraineeProfileFactory(business=member).user, source="api")
    assert len(receiver.requests) == 1
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
    with Receiver() as receiver:
        book(run=run, participant=TraineeProfileFactory(business=member).user, source="api")
    assert len(receiver.requests) == 0
    attempt = WebhookAttempt.objects.get()
    assert attempt.error.startswith("refused")
    assert "127.0.0.1" in attempt.error
