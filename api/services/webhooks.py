"""Webhook endpoints of a chamber: registered with a signing secret shown once, changed, removed.
Delivery is in `deliveries`."""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import netguard
from core.audit import audit
from people.models import Chamber

from .. import crypto
from ..errors import InvalidWebhook
from ..models import EVENTS, WebhookEndpoint
from ..selectors import forget_webhook_chambers


def _validate_webhook(url: str, events: list[str]) -> None:
    try:
        parts = urlsplit(url or "")
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError on a port that is no number or out of range
    except ValueError:  # e.g. "http://[" : no URL at all
        valid = False
    if not valid:
        raise InvalidWebhook(_("Nur http- und https-Adressen sind erlaubt."), field="url")
    try:
        netguard.check_url(url)
    except (netguard.UnsafeTarget, ValueError, UnicodeError) as exc:
        raise InvalidWebhook(
            _(
                "Die Adresse muss ein öffentlich erreichbarer Server sein; interne, private und "
                "lokale Adressen sind nicht erlaubt."
            ),
            field="url",
        ) from exc
    if not events:
        raise InvalidWebhook(_("Mindestens ein Ereignis angeben."), field="events")
    unknown = sorted(set(events) - set(EVENTS))
    if unknown:
        raise InvalidWebhook(_("Unbekanntes Ereignis: %s") % ", ".join(unknown), field="events")


def create_webhook(
    *, chamber: Chamber, url: str, events: list[str], actor=None
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; the signing secret is returned once (stored encrypted)."""
    _validate_webhook(url, events)
    secret = crypto.new_webhook_secret()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            chamber=chamber,
            url=url,
            events=sorted(set(events)),
            secret_encrypted=crypto.encrypt(secret),
        )
        audit(
            actor=actor, action="api.webhook_created", obj=endpoint, url=url, events=endpoint.events
        )
    return endpoint, secret


def update_webhook(
    *,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    events: list[str] | None = None,
    is_active: bool | None = None,
    actor=None,
) -> WebhookEndpoint:
    """Change what is given (None: unchanged); the target is checked again."""
    new_url = endpoint.url if url is None else url
    new_events = endpoint.events if events is None else events
    _validate_webhook(new_url, new_events)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.url = new_url
        endpoint.events = sorted(set(new_events))
        if is_active is not None:
            endpoint.is_active = is_active
        endpoint.save()
        audit(actor=actor, action="api.webhook_updated", obj=endpoint, url=endpoint.url)
    return endpoint


def rotate_webhook_secret(*, endpoint: WebhookEndpoint, actor=None) -> tuple[WebhookEndpoint, str]:
    """A new signing secret, returned once. The previous one keeps signing beside it (two
    signatures in webhook-signature) for WEBHOOK_SECRET_ROTATION_HOURS, so the receiver can switch
    without losing a delivery; rotating again ends the older grace at once."""
    secret = crypto.new_webhook_secret()
    now = timezone.now()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.previous_secret_encrypted = endpoint.secret_encrypted
        endpoint.previous_secret_expires_at = now + dt.timedelta(
            hours=settings.WEBHOOK_SECRET_ROTATION_HOURS
        )
        endpoint.secret_encrypted = crypto.encrypt(secret)
        endpoint.save()
        audit(
            actor=actor,
            action="api.webhook_secret_rotated",
            obj=endpoint,
            previous_valid_until=endpoint.previous_secret_expires_at.isoformat(),
        )
    return endpoint, secret


def delete_webhook(*, endpoint: WebhookEndpoint, actor=None) -> None:
    """Soft delete: the delivery log stays visible to the chamber's support until retention ends."""
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            deleted_at=timezone.now(), is_active=False, updated_at=timezone.now()
        )
        forget_webhook_chambers()  # an update() sends no post_save
        audit(actor=actor, action="api.webhook_deleted", obj=endpoint)
