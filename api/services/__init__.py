"""Writes of the chamber API, one module per resource: keys, webhooks and their deliveries,
natural-key upserts of businesses and trainees, tombstones. Keyword-only, one transaction each,
audited. The entry points other modules call are importable from here."""

from .businesses import delete_business, upsert_business
from .keys import VALID_SCOPES, create_api_key, revoke_api_key, touch_api_key
from .tombstones import record_tombstone
from .trainees import delete_trainee, upsert_trainee
from .webhooks import create_webhook, delete_webhook, update_webhook

__all__ = [
    "VALID_SCOPES",
    "create_api_key",
    "create_webhook",
    "delete_business",
    "delete_trainee",
    "delete_webhook",
    "record_tombstone",
    "revoke_api_key",
    "touch_api_key",
    "update_webhook",
    "upsert_business",
    "upsert_trainee",
]
