"""allauth's behaviour where the district's needs differ from its defaults."""

from allauth.account.adapter import DefaultAccountAdapter

from .roles import start_page


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The per-account lockout counts failures per account and client address: five wrong
        passwords typed by a stranger lock the stranger out, not the account's owner at their
        own address. The per-address limit (10 a minute) still slows a guesser on many accounts.
        REMOTE_ADDR is the real client behind trusted proxies (config.middleware)."""
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{key}:{request.META.get('REMOTE_ADDR', '')}"

    def get_login_redirect_url(self, request) -> str:
        """Each role lands on its own start page (allauth applies a `next` parameter first)."""
        return start_page(request.user)
