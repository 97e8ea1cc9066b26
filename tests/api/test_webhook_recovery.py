"""The webhook recovery sweep finds every event whose deliveries were never created (the process
died between the commit and the hand-off), however long ago within the day a delivery is retried
for, and creates each delivery once."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from api import tasks
from api.models import WebhookDelivery
from api.services.webhooks import create_webhook
from core.events import record_event
from core.models import DomainEvent

pytestmark = pytest.mark.django_db


class Receiver:
    def __init__(self):
        self.bodies: list[dict] = []
        bodies = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("age", [dt.timedelta(minutes=40), dt.timedelta(hours=20)])
def test_an_event_whose_receiver_never_ran_is_delivered_even_when_old(chamber, age):
    with Receiver() as receiver:
        create_webhook(chamber=chamber, url=receiver.url, events=["enrolment.completed"])
        # Recorded and committed, but the on-commit receiver never ran (the test transaction
        # runs no on-commit callbacks: as when the process dies right after the commit).
        event = record_event(type="enrolment.completed", payload={"id": 1}, chamber_id=chamber.pk)
        DomainEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - age)
        assert not WebhookDelivery.objects.exists()
        tasks.deliver_due()
        tasks.deliver_due()  # a second sweep creates and sends nothing more
    assert [b["id"] for b in receiver.bodies] == [str(event.event_id)]
    assert WebhookDelivery.objects.get().status == "delivered"


def test_events_nobody_subscribed_to_are_looked_at_once(chamber, django_assert_max_num_queries):
    event = record_event(type="enrolment.created", payload={"id": 2}, chamber_id=chamber.pk)
    DomainEvent.objects.filter(pk=event.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=5)
    )
    tasks.deliver_due()
    event.refresh_from_db()
    assert event.dispatched_at is not None  # the next sweep does not look at it again
    with django_assert_max_num_queries(2):
        tasks.deliver_due()


def test_an_event_older_than_the_retry_period_is_left_alone(chamber):
    with Receiver() as receiver:
        create_webhook(chamber=chamber, url=receiver.url, events=["enrolment.created"])
        event = record_event(type="enrolment.created", payload={"id": 3}, chamber_id=chamber.pk)
        DomainEvent.objects.filter(pk=event.pk).update(
            created_at=timezone.now() - dt.timedelta(days=2)
        )
        tasks.deliver_due()
    assert receiver.bodies == []
