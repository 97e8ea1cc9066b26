"""Writes of the chamber API: keys, webhooks, natural-key upserts of businesses and trainees,
tombstones. Keyword-only, one transaction each, audited."""

import datetime as dt
import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import netguard
from core.audit import audit
from core.errors import InvalidInput
from people.models import Business, Chamber, TraineeProfile

from . import crypto
from .errors import Conflict, InvalidWebhook, NotFound
from .models import EVENTS, SCOPES, ApiKey, Tombstone, WebhookEndpoint

User = get_user_model()

KEY_PREFIX = "lw_"
VALID_SCOPES = {code for code, _label in SCOPES}


# --- API keys -------------------------------------------------------------------------------


def hash_key(plaintext: str) -> str:
    # The key carries 256 bits of randomness, so a fast hash is enough (no brute force possible)
    # and keeps authentication cheap on every request.
    return hashlib.sha256(plaintext.encode()).hexdigest()


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


def key_from_plaintext(plaintext: str) -> ApiKey | None:
    """The active or inactive key matching the plaintext, compared in constant time."""
    prefix, sep, _rest = plaintext.partition(".")
    if not sep or not prefix.startswith(KEY_PREFIX) or len(prefix) > 16:
        return None
    key = ApiKey.objects.select_related("chamber").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.key_hash, hash_key(plaintext)):
        return None
    return key


def touch_api_key(key: ApiKey, *, now: dt.datetime | None = None) -> None:
    """Record last use at most once a minute: a write per request would serialise syncs."""
    now = now or timezone.now()
    if key.last_used_at is None or now - key.last_used_at > dt.timedelta(minutes=1):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now


# --- webhooks -------------------------------------------------------------------------------


def _validate_webhook(url: str, events: list[str]) -> None:
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidWebhook(_("Nur http- und https-Adressen sind erlaubt."), field="url")
    try:
        netguard.check_url(url)
    except netguard.UnsafeTarget as exc:
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
    secret = "whsec_" + secrets.token_urlsafe(32)
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


def delete_webhook(*, endpoint: WebhookEndpoint, actor=None) -> None:
    """Soft delete: the delivery log stays visible to the chamber's support until retention ends."""
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            deleted_at=timezone.now(), is_active=False, updated_at=timezone.now()
        )
        audit(actor=actor, action="api.webhook_deleted", obj=endpoint)


def webhook_secret(endpoint: WebhookEndpoint) -> str:
    return crypto.decrypt(endpoint.secret_encrypted)


# --- tombstones -----------------------------------------------------------------------------


def record_tombstone(*, resource: str, object_id, chamber_id: int | None) -> Tombstone:
    return Tombstone.objects.create(
        resource=resource, object_id=str(object_id), chamber_id=chamber_id
    )


def delete_business(*, business: Business, actor=None) -> None:
    """Delete a member business. The tombstone is written by the post_delete receiver (so that
    deletions in the admin leave one too), in this same transaction."""
    with transaction.atomic():
        audit(
            actor=actor,
            action="api.business_deleted",
            obj=business,
            member_number=business.member_number,
        )
        business.delete()


def delete_trainee(*, profile: TraineeProfile, actor=None) -> None:
    """Delete a trainee profile and its login when the account has nothing else (no roles)."""
    with transaction.atomic():
        audit(actor=actor, action="api.trainee_deleted", obj=profile)
        user = profile.user
        profile.delete()
        if not user.memberships.exists() and not user.has_usable_password():
            user.delete()


# --- natural-key upserts --------------------------------------------------------------------

BUSINESS_FIELDS = ("name", "street", "postal_code", "city", "email", "is_active")


def _apply(obj, data: dict, fields) -> list[str]:
    changed = []
    for field in fields:
        if field in data and getattr(obj, field) != data[field]:
            setattr(obj, field, data[field])
            changed.append(field)
    return changed


def upsert_business(
    *, chamber: Chamber, member_number: str, data: dict, actor=None
) -> tuple[Business, bool, bool]:
    """Create or update the chamber's member business by its member number.
    Returns (business, created, changed); sending the same data twice changes nothing."""
    member_number = member_number.strip()
    with transaction.atomic():
        business = (
            Business.objects.select_for_update()
            .filter(chamber=chamber, member_number=member_number)
            .first()
        )
        if business is None:
            try:
                with transaction.atomic():
                    business = Business.objects.create(
                        chamber=chamber,
                        member_number=member_number,
                        **{f: data[f] for f in BUSINESS_FIELDS if f in data},
                    )
            except IntegrityError as exc:  # created concurrently by a parallel request
                raise Conflict(
                    _("Der Betrieb wird gerade gleichzeitig angelegt."), field="member_number"
                ) from exc
            audit(
                actor=actor,
                action="api.business_created",
                obj=business,
                member_number=member_number,
            )
            return business, True, True
        changed = _apply(business, data, BUSINESS_FIELDS)
        if changed:
            business.save(update_fields=[*changed, "updated_at"])
            audit(actor=actor, action="api.business_updated", obj=business, fields=changed)
        return business, False, bool(changed)


PROFILE_FIELDS = ("occupation", "apprenticeship_start", "kind")
USER_FIELDS = ("first_name", "last_name", "date_of_birth")


def _placeholder_email(number: str) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in number.lower()).strip("-") or "x"
    return f"azubi-{slug}-{secrets.token_hex(3)}@lehrlingsrolle.invalid"


def upsert_trainee(
    *, chamber: Chamber, lehrlingsrolle_number: str, business: Business, data: dict, actor=None
) -> tuple[TraineeProfile, bool, bool]:
    """Create or update an apprentice by Lehrlingsrolle number, employed by a member business of
    the chamber. A new apprentice gets a login with an unusable password (they set one through
    "password forgotten" once their e-mail address is known)."""
    number = lehrlingsrolle_number.strip()
    if business.chamber_id != chamber.pk:
        raise NotFound(_("Betrieb nicht gefunden."), field="business")
    with transaction.atomic():
        profile = (
            # of=self: PostgreSQL cannot lock the nullable side (business) of the outer join.
            TraineeProfile.objects.select_for_update(of=("self",))
            .select_related("user", "business")
            .filter(lehrlingsrolle_number=number)
            .first()
        )
        email = (data.get("email") or "").strip().lower()
        if profile is None:
            if email and User.objects.filter(email__iexact=email).exists():
                raise Conflict(_("Diese E-Mail-Adresse ist schon vergeben."), field="email")
            try:
                with transaction.atomic():
                    user = User(email=email or _placeholder_email(number))
                    for field in USER_FIELDS:
                        if field in data:
                            setattr(user, field, data[field])
                    user.set_unusable_password()
                    user.save()
                    profile = TraineeProfile.objects.create(
                        user=user,
                        business=business,
                        lehrlingsrolle_number=number,
                        kind=data.get("kind") or TraineeProfile.Kind.APPRENTICE,
                        **{f: data[f] for f in ("occupation", "apprenticeship_start") if f in data},
                    )
            except IntegrityError as exc:
                raise Conflict(
                    _("Die Lehrlingsrollen-Nummer wird gerade gleichzeitig angelegt."),
                    field="lehrlingsrolle_number",
                ) from exc
            audit(actor=actor, action="api.trainee_created", obj=profile, number=number)
            return profile, True, True
        # An apprentice of another chamber's business is not this chamber's to change.
        if profile.business is None or profile.business.chamber_id != chamber.pk:
            raise Conflict(
                _("Diese Lehrlingsrollen-Nummer gehört zu keinem Mitgliedsbetrieb dieser Kammer."),
                field="lehrlingsrolle_number",
            )
        user = profile.user
        user_changed = _apply(user, data, USER_FIELDS)
        if email and email != user.email:
            if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
                raise Conflict(_("Diese E-Mail-Adresse ist schon vergeben."), field="email")
            user.email = email
            user_changed.append("email")
        profile_changed = _apply(profile, data, PROFILE_FIELDS)
        if profile.business_id != business.pk:
            profile.business = business
            profile_changed.append("business")
        if user_changed:
            user.save(update_fields=[*user_changed, "updated_at"])
        if user_changed or profile_changed:
            # The profile is what the API lists, so a change of the person bumps it too.
            profile.save(update_fields=[*profile_changed, "updated_at"])
            audit(
                actor=actor,
                action="api.trainee_updated",
                obj=profile,
                fields=user_changed + profile_changed,
            )
        return profile, False, bool(user_changed or profile_changed)
