"""/webhooks/: webhook targets must be public internet hosts when WEBHOOK_ALLOW_PRIVATE_TARGETS is
off (the production default): registration refuses private targets with a 422 naming `url` (the
delivery checks again, see test_deliveries)."""

import pytest
from django.test import override_settings

from api.models import WebhookEndpoint

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
