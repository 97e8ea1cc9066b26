"""OpenID Connect identity providers from the environment, as allauth's SOCIALACCOUNT_PROVIDERS.

OIDC_PROVIDERS holds a JSON list, one object per provider a district runs (Entra ID, a Land's
school IdP, Keycloak):

    [{"id": "kreis", "name": "Kreis-Login", "server_url": "https://login.kreis.example/realms/schulen",
      "client_id": "lernwerkstatt", "secret": "…"}]

Optional per provider: "token_auth_method" (client_secret_basic or client_secret_post; default:
what the provider's discovery document offers) and "trust_email" (true for providers that vouch for
their addresses without sending the `email_verified` claim, such as Entra ID; default false, then
only addresses the provider marks verified are matched to an account). The id becomes part of the
callback address: /accounts/oidc/<id>/login/callback/.
"""

import json
import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_TOKEN_AUTH_METHODS = {"client_secret_basic", "client_secret_post"}


def providers_from_env(raw: str) -> dict:
    """SOCIALACCOUNT_PROVIDERS for the providers described by `raw` (OIDC_PROVIDERS); an empty
    value configures none. Mistakes stop the start with the provider and field named, rather than
    a login button that fails when someone presses it."""
    if not raw.strip():
        return {}
    try:
        entries = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"OIDC_PROVIDERS is not valid JSON: {error}") from None
    if not isinstance(entries, list):
        raise ImproperlyConfigured("OIDC_PROVIDERS must be a JSON list of provider objects.")
    apps, seen = [], set()
    for position, entry in enumerate(entries):
        apps.append(_app(entry, position, seen))
    return {
        "openid_connect": {
            # PKCE on every authorisation request: a stolen code is useless without the verifier.
            "OAUTH_PKCE_ENABLED": True,
            "APPS": apps,
        }
    }


def _app(entry, position: int, seen: set[str]) -> dict:
    where = f"OIDC_PROVIDERS[{position}]"
    if not isinstance(entry, dict):
        raise ImproperlyConfigured(f"{where} must be an object.")
    for key in ("id", "server_url", "client_id"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ImproperlyConfigured(f"{where} needs a non-empty string {key!r}.")
    provider_id = entry["id"]
    if not _ID.match(provider_id):
        raise ImproperlyConfigured(
            f"{where}: id {provider_id!r} must be lower-case letters, digits, - or _."
        )
    if provider_id in seen:
        raise ImproperlyConfigured(f"{where}: id {provider_id!r} is used twice.")
    seen.add(provider_id)
    server_url = entry["server_url"].rstrip("/")
    host = urlsplit(server_url).hostname or ""
    loopback = host in {"127.0.0.1", "::1", "localhost"}
    if not (server_url.startswith("https://") or (server_url.startswith("http://") and loopback)):
        # Tokens and the client secret travel to this address: plain HTTP only on this machine.
        raise ImproperlyConfigured(
            f"{where}: server_url must be https:// (http:// only on loopback)."
        )
    settings = {"server_url": server_url, "trust_email": bool(entry.get("trust_email", False))}
    method = entry.get("token_auth_method")
    if method is not None:
        if method not in _TOKEN_AUTH_METHODS:
            raise ImproperlyConfigured(
                f"{where}: token_auth_method must be one of {sorted(_TOKEN_AUTH_METHODS)}."
            )
        settings["token_auth_method"] = method
    return {
        "provider_id": provider_id,
        "name": entry.get("name") or provider_id,
        "client_id": entry["client_id"],
        "secret": entry.get("secret", ""),
        "settings": settings,
    }
