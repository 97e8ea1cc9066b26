"""Webhook delivery: from a committed domain event to signed HTTP POSTs, retried for a day, and
redelivered by hand from the delivery log.

Signed as Standard Webhooks specifies: `webhook-id` (the event id: the same on every retry, so
receivers deduplicate), `webhook-timestamp` (Unix seconds of this attempt) and
`webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per valid secret).

The DomainEvent (outbox) and the WebhookDelivery rows live in the database, so nothing is lost when
the worker is down: the beat task `deliver_due` picks up whatever is due. An attempt is two short
transactions around the HTTP call (claim, then record), never one held open across the network."""

import datetime as dt
import json
import logging
import time
import urllib.error
import urllib.request

from django.db import transaction
from django.utils import timezone

from core import netguard
from core.audit import audit
from core.models import DomainEvent

from .. import crypto
from ..models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from ..selectors import (
    due_delivery_ids,
    events_without_deliveries,
    subscribed_endpoints,
    webhook_chamber_ids,
)
from ..tasks import deliver as deliver_task

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5
LEASE = dt.timedelta(minutes=2)  # a claimed delivery is retried after this if its worker died
RETRY_FOR = dt.timedelta(days=1)
FIRST_RETRY = 30  # seconds; doubles each time, at most an hour


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(FIRST_RETRY * 2 ** max(attempts - 1, 0), 3600))


def create_deliveries(*, event: DomainEvent) -> list[int]:
    """One delivery per active endpoint of the event's chamber subscribed to its type, each handed
    to a worker once this transaction commits."""
    if event.chamber_id is None:
        return []  # recorded as dispatched (core.events): no chamber, no endpoint
    endpoints = subscribed_endpoints(event)
    ids = []
    now = timezone.now()
    with transaction.atomic():
        for endpoint in endpoints:
            delivery, _created = WebhookDelivery.objects.get_or_create(
                event=event, endpoint=endpoint, defaults={"next_attempt_at": now}
            )
            ids.append(delivery.pk)
        # Done for this event, also when nobody subscribed: the sweep looks no further.
        DomainEvent.objects.filter(pk=event.pk, dispatched_at__isnull=True).update(
            dispatched_at=now
        )
        for pk in ids:
            transaction.on_commit(lambda pk=pk: _enqueue(pk))
    return ids


def _enqueue(delivery_id: int) -> None:
    """Hand the delivery to a worker now; if the broker is down, the beat task sends it later
    (the row is due already), so the caller's request never fails for it."""
    try:
        deliver_task.delay(delivery_id)
    except Exception:  # noqa: BLE001 - any broker error: the database row is the safety net
        logger.warning("could not enqueue webhook delivery %s; beat will pick it up", delivery_id)


def body_of(event: DomainEvent) -> bytes:
    return json.dumps(
        {
            "id": str(event.event_id),
            "type": event.type,
            "created_at": event.created_at.isoformat(),
            "data": event.payload,
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode()


def signing_secrets(endpoint: WebhookEndpoint, now: dt.datetime) -> list[str]:
    """The current secret, and the previous one while its rotation grace period lasts."""
    found = [crypto.decrypt(endpoint.secret_encrypted)]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret_encrypted and expires is not None and expires > now:
        found.append(crypto.decrypt(endpoint.previous_secret_encrypted))
    return found


def signed_headers(endpoint: WebhookEndpoint, event: DomainEvent, body: bytes, now) -> dict:
    timestamp = int(now.timestamp())
    msg_id = str(event.event_id)
    return {
        "Content-Type": "application/json",
        "User-Agent": "Lernwerkstatt-Webhooks/1.0",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": crypto.webhook_signature(
            signing_secrets(endpoint, now), msg_id, timestamp, body
        ),
        # Convenience for routing before parsing; not part of what is signed.
        "X-Lernwerkstatt-Event-Type": event.type,
    }


def _claim(delivery_id: int, now: dt.datetime) -> WebhookDelivery | None:
    """Take the delivery for one attempt if it is due, under a row lock, and lease it so that a
    parallel worker (or the beat task) does not send it twice meanwhile."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("event", "endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
            return None
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            return None
        delivery.next_attempt_at = now + LEASE
        delivery.save(update_fields=["next_attempt_at", "updated_at"])
        return delivery


# Checks the peer of every connection and every redirect target (SSRF, see netguard).
_opener = netguard.build_opener()


def _post(url: str, body: bytes, headers: dict) -> int:
    # Re-checked at delivery: the host may resolve elsewhere now than at registration.
    netguard.check_url(url)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - scheme checked at registration
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def attempt_delivery(*, delivery_id: int, now: dt.datetime | None = None) -> WebhookDelivery | None:
    """Send one due delivery once and log the attempt. Safe to call twice (a no-op then)."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    endpoint, event = delivery.endpoint, delivery.event
    body = body_of(event)
    status_code, error = None, ""
    started = time.monotonic()
    if endpoint.deleted_at is not None or not endpoint.is_active:
        error = "endpoint disabled"
    else:
        try:
            headers = signed_headers(endpoint, event, body, timezone.now())
            status_code = _post(endpoint.url, body, headers)
        except netguard.UnsafeTarget as exc:
            error = f"refused: {exc}"[:500]
            logger.warning("webhook %s to %s refused: %s", delivery.pk, endpoint.url, exc)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
    duration_ms = int((time.monotonic() - started) * 1000)
    ok = status_code is not None and 200 <= status_code < 300
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        WebhookAttempt.objects.create(
            delivery=delivery, status_code=status_code, error=error, duration_ms=duration_ms
        )
        delivery.attempts += 1
        if ok:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
        elif timezone.now() + backoff(delivery.attempts) > retry_until(delivery):
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
        delivery.save()
    if not ok:
        logger.info("webhook %s to %s failed: %s", delivery.pk, endpoint.url, status_code or error)
    return delivery


def retry_until(delivery: WebhookDelivery) -> dt.datetime:
    """Retries last a day from the event, or from the manual redelivery when there was one."""
    start = max(delivery.event.created_at, delivery.redelivered_at or delivery.event.created_at)
    return start + RETRY_FOR


def redeliver(*, delivery: WebhookDelivery, actor=None) -> WebhookDelivery:
    """Send a logged delivery again now, whatever became of it (delivered, failed, pending): the
    same event id, so a receiver that has it already can drop it; retried for a day if it fails.
    Goes to a worker once this commits."""
    now = timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        delivery.status = WebhookDelivery.Status.PENDING
        delivery.next_attempt_at = now
        delivery.redelivered_at = now
        delivery.save(update_fields=["status", "next_attempt_at", "redelivered_at", "updated_at"])
        audit(actor=actor, action="api.webhook_redelivered", obj=delivery)
        transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk))
    return delivery


def create_missing_deliveries(
    *, window: dt.timedelta = RETRY_FOR, grace: dt.timedelta = dt.timedelta(seconds=30)
) -> int:
    """Deliveries for events whose `event_committed` receiver never ran (the process died between
    commit and receiver, the receiver failed, or the event's chamber had no endpoint when it was
    recorded, so it was never announced): the outbox marks each event once its deliveries exist,
    so the sweep finds every unmarked one however long ago it happened, up to the day a delivery
    is retried for. Events of chambers without an endpoint are marked in one statement. Safe to
    repeat (get_or_create)."""
    events = events_without_deliveries(now=timezone.now(), window=window, grace=grace)
    found = list(events.values_list("pk", "chamber_id"))
    if not found:
        return 0
    listening = webhook_chamber_ids()
    quiet = [pk for pk, chamber_id in found if chamber_id not in listening]
    DomainEvent.objects.filter(pk__in=quiet, dispatched_at__isnull=True).update(
        dispatched_at=timezone.now()
    )
    count = 0
    for event in events.filter(chamber_id__in=listening).iterator():
        count += len(create_deliveries(event=event))
    return count


def deliver_due() -> int:
    """Deliveries for events whose receiver never ran, retries that are due, and anything a dead
    worker left behind; returns how many were due."""
    create_missing_deliveries()
    ids = due_delivery_ids()
    for pk in ids:
        attempt_delivery(delivery_id=pk)
    return len(ids)
