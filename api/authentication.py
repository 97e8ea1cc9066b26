"""`Authorization: Bearer <key>` for chamber systems. The authenticated principal is the chamber
(through its key); there is no user session, and CSRF does not apply. What the key may do is
decided elsewhere: its scopes in api.permissions, the rows it sees in api.selectors."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiKey
from .selectors import key_from_plaintext
from .services.keys import touch_api_key


class ChamberPrincipal:
    """What `request.user` is for an API request: the chamber acting through one key."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    pk = None

    def __init__(self, api_key: ApiKey):
        self.api_key = api_key
        self.chamber = api_key.chamber

    def __str__(self):
        return f"API {self.api_key.prefix} ({self.chamber.code})"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # no key: IsAuthenticated turns this into 401 with WWW-Authenticate
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Der Authorization-Header ist ungültig."))
        try:
            plaintext = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Der API-Schlüssel ist ungültig.")) from exc
        key = key_from_plaintext(plaintext)
        if key is None:
            raise exceptions.AuthenticationFailed(_("Der API-Schlüssel ist ungültig."))
        now = timezone.now()
        if key.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Der API-Schlüssel wurde widerrufen."))
        if key.expires_at is not None and key.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("Der API-Schlüssel ist abgelaufen."))
        touch_api_key(api_key=key, now=now)
        return ChamberPrincipal(key), key

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'
