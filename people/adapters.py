"""allauth's behaviour where the district's needs differ from its defaults."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from core.services.outbox import enqueue_email

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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails (address confirmation, password reset, notices) go through the
        outbox like every other e-mail: sent once, retried while the mail server is down, and
        the secret link in them is not kept after delivery (core.services.outbox)."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        enqueue_email(self.render_mail(template_prefix, email, ctx))
