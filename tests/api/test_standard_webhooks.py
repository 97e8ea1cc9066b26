"""Webhooks per the Standard Webhooks specification, proven with its reference library
(`standardwebhooks`) against live deliveries to a local receiver: the headers, `whsec_` base64
secrets, two signatures while a rotated secret is still valid, manual redelivery from the log, and
the OpenAPI document and README that tell a receiver how to verify."""

import base64
import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from api import tasks
from api.models import WebhookDelivery, WebhookEndpoint
from api.services.webhooks import create_webhook

from .test_deliveries import PORT, Receiver

pytestmark = pytest.mark.django_db(transaction=True)

URL = f"http://127.0.0.1:{PORT}/hook"


def book(api, run):
    response = api.post("/api/v1/enrolments/", {"run": run.pk, "trainee": "LR-W1"}, format="json")
    assert response.status_code == 201, response.content


@pytest.fixture
def booking(chamber, member):
    from tests.factories import CourseRunFactory, SessionFactory, TraineeProfileFactory

    run = CourseRunFactory(capacity=5, min_participants=0)
    SessionFactory(run=run)
    TraineeProfileFactory(business=member, lehrlingsrolle_number="LR-W1")
    return run


def test_a_live_delivery_has_the_standard_headers_and_verifies(api, booking):
    response = api.post(
        "/api/v1/webhooks/", {"url": URL, "events": ["enrolment.created"]}, format="json"
    )
    secret = response.json()["secret"]
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 32
    with Receiver() as receiver:
        book(api, booking)
    (request,) = receiver.requests
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["webhook-id"]
    assert abs(int(headers["webhook-timestamp"]) - timezone.now().timestamp()) < 60
    (signature,) = headers["webhook-signature"].split(" ")
    version, value = signature.split(",")
    assert version == "v1" and len(base64.b64decode(value, validate=True)) == 32
    body = Webhook(secret).verify(request["body"], request["headers"])
    assert body["type"] == "enrolment.created"
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + base64.b64encode(b"x" * 32).decode()).verify(
            request["body"], request["headers"]
        )


def test_after_a_rotation_both_secrets_verify_until_the_grace_period_ends(api, booking):
    response = api.post(
        "/api/v1/webhooks/", {"url": URL, "events": ["enrolment.created"]}, format="json"
    )
    old, endpoint_id = response.json()["secret"], response.json()["id"]
    rotated = api.post(f"/api/v1/webhooks/{endpoint_id}/rotate-secret/")
    assert rotated.status_code == 200
    new = rotated.json()["secret"]
    assert new != old and new.startswith("whsec_")
    with Receiver() as receiver:
        book(api, booking)
    (request,) = receiver.requests
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(new).verify(request["body"], request["headers"])
    Webhook(old).verify(request["body"], request["headers"])

    # Once the grace period is over, only the new secret signs.
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(
        previous_secret_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    delivery = WebhookDelivery.objects.get()
    with Receiver() as receiver:
        assert (
            api.post(
                f"/api/v1/webhooks/{endpoint_id}/deliveries/{delivery.pk}/redeliver/"
            ).status_code
            == 202
        )
    (request,) = receiver.requests
    Webhook(new).verify(request["body"], request["headers"])
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(request["body"], request["headers"])


def test_manual_redelivery_sends_the_same_event_again_and_logs_it(api, booking):
    response = api.post(
        "/api/v1/webhooks/", {"url": URL, "events": ["enrolment.created"]}, format="json"
    )
    secret, endpoint_id = response.json()["secret"], response.json()["id"]
    with Receiver() as receiver:
        book(api, booking)
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "delivered"
        again = api.post(f"/api/v1/webhooks/{endpoint_id}/deliveries/{delivery.pk}/redeliver/")
        assert again.status_code == 202
        assert tasks.deliver_due() == 0  # sent already, by the worker: not twice
    first, second = (Webhook(secret).verify(r["body"], r["headers"]) for r in receiver.requests)
    assert first["id"] == second["id"]
    log = api.get(f"/api/v1/webhooks/{endpoint_id}/deliveries/").json()["results"][0]
    assert [a["status_code"] for a in log["attempt_log"]] == [204, 204]
    assert log["status"] == "delivered"

    # Another chamber's delivery, or one that does not exist, is a 404 problem.
    assert api.post(f"/api/v1/webhooks/{endpoint_id}/deliveries/999999/redeliver/").status_code == (
        404
    )


def test_a_failed_delivery_can_be_redelivered_from_the_admin(admin_client, chamber, booking):
    from django.db import transaction

    from core.events import record_event

    create_webhook(chamber=chamber, url=URL, events=["enrolment.created"])
    with transaction.atomic():
        record_event(type="enrolment.created", payload={"id": 1}, chamber_id=chamber.pk)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", next_attempt_at=None)
    with Receiver() as receiver:
        response = admin_client.post(
            "/admin/api/webhookdelivery/",
            {"action": "redeliver_selected", "_selected_action": [delivery.pk]},
        )
        assert response.status_code == 302
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.status == "delivered"


def test_openapi_and_readme_tell_a_receiver_how_to_verify(api):
    schema = api.get("/api/v1/schema/").content.decode()
    for words in ("webhook-signature", "webhook-id", "webhook-timestamp", "whsec_", "v1,"):
        assert words in schema
    assert "/rotate-secret/" in schema and "/redeliver/" in schema
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert "Standard Webhooks" in readme and "webhook-signature" in readme
