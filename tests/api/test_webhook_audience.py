"""A change of a chamber that has no webhook endpoint runs no endpoint query in the request: the
API registers the chambers with endpoints as the events' audience (core.events), read from the
shared cache, which every change of an endpoint drops. The recovery sweep marks the unheard
events in one statement, and delivers an event a stale cache kept back instead of losing it."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api import tasks
from api.models import WebhookDelivery
from api.selectors import WEBHOOK_CHAMBERS_KEY
from api.services.webhooks import create_webhook, delete_webhook
from core.events import record_events
from core.models import DomainEvent

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:9/hook"  # nobody answers: a delivery is only tried
TYPES = ["enrolment.created", "enrolment.confirmed"]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.delete(WEBHOOK_CHAMBERS_KEY)
    yield
    cache.delete(WEBHOOK_CHAMBERS_KEY)


def _record(chamber, django_capture_on_commit_callbacks):
    payload = {"id": 1}
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        events = record_events([(t, payload) for t in TYPES], chamber_id=chamber.pk)
    return events, [q["sql"] for q in queries]


def _sweep_later():
    DomainEvent.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    tasks.deliver_due()


def test_a_chamber_without_endpoint_costs_the_request_one_insert(
    chamber, django_capture_on_commit_callbacks
):
    _record(chamber, django_capture_on_commit_callbacks)  # warms the cache
    events, statements = _record(chamber, django_capture_on_commit_callbacks)
    assert len(statements) == 1 and "INSERT" in statements[0]  # both events, no endpoint query
    assert not DomainEvent.objects.filter(dispatched_at__isnull=False).exists()
    _sweep_later()
    assert DomainEvent.objects.filter(dispatched_at__isnull=True).count() == 0
    assert not WebhookDelivery.objects.exists()


def test_an_endpoint_is_heard_at_once_and_its_deletion_too(
    chamber, django_capture_on_commit_callbacks
):
    _record(chamber, django_capture_on_commit_callbacks)  # cached: nobody listens
    with django_capture_on_commit_callbacks(execute=True):  # its commit drops the cached set
        endpoint, _secret = create_webhook(chamber=chamber, url=URL, events=TYPES)
    events, statements = _record(chamber, django_capture_on_commit_callbacks)
    assert set(WebhookDelivery.objects.values_list("event_id", flat=True)) == {e.pk for e in events}
    assert any("api_webhookendpoint" in sql for sql in statements)

    with django_capture_on_commit_callbacks(execute=True):
        delete_webhook(endpoint=endpoint)
    _events, statements = _record(chamber, django_capture_on_commit_callbacks)
    _events, statements = _record(chamber, django_capture_on_commit_callbacks)
    assert not any("api_webhookendpoint" in sql for sql in statements)


def test_an_event_a_stale_cache_kept_back_is_delivered_by_the_sweep(
    chamber, django_capture_on_commit_callbacks
):
    create_webhook(chamber=chamber, url=URL, events=TYPES)
    cache.set(WEBHOOK_CHAMBERS_KEY, [], 60)  # another process's cache, not yet dropped
    events, _statements = _record(chamber, django_capture_on_commit_callbacks)
    assert not WebhookDelivery.objects.exists()
    _sweep_later()
    assert set(WebhookDelivery.objects.values_list("event_id", flat=True)) == {e.pk for e in events}
