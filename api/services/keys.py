"""API keys: created with their plaintext shown once, revoked, their last use recorded."""

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput
from people.models import Chamber

from ..crypto import KEY_PREFIX, hash_key
from ..models import SCOPES, ApiKey

VALID_SCOPES = {code for code, _label in SCOPES}


def create_api_key(
    *,
    chamber: Chamber,
    name: str,
    scopes: list[str],
    expires_at: dt.datetime | None = None,
    actor=None,
) -> tuple[ApiKey, str]:
    """Create a key; the plaintext is returned once and never stored."""
    unknown = sorted(set(scopes) - VALID_SCOPES)
    if unknown:
        raise InvalidInput(_("Unbekannte Berechtigung: %s") % ", ".join(unknown), field="scopes")
    with transaction.atomic():
        for _attempt in range(5):
            prefix = KEY_PREFIX + secrets.token_hex(4)
            if not ApiKey.objects.filter(prefix=prefix).exists():
                break
        plaintext = f"{prefix}.{secrets.token_urlsafe(32)}"
        key = ApiKey.objects.create(
            chamber=chamber,
            name=name or prefix,
            prefix=prefix,
            key_hash=hash_key(plaintext),
            scopes=sorted(set(scopes)),
            expires_at=expires_at,
        )
        audit(actor=actor, action="api.key_created", obj=key, scopes=key.scopes)
    return key, plaintext


def revoke_api_key(*, api_key: ApiKey, actor=None) -> ApiKey:
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at", "updated_at"])
            audit(actor=actor, action="api.key_revoked", obj=key)
    return key


def touch_api_key(*, api_key: ApiKey, now: dt.datetime | None = None) -> None:
    """Record last use at most once a minute: a write per request would serialise syncs."""
    now = now or timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at > dt.timedelta(minutes=1):
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
