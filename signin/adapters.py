"""allauth's social login where the district's rules differ from its defaults: an identity provider
signs a person in only to an account that already exists, matched by a verified address, and only
after a district admin has confirmed that first link. Nobody gets an account, let alone a role,
because a provider said so."""

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.shortcuts import render

from . import selectors, services
from .models import SignInLink


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        """Runs after the provider's answer is verified, before anyone is signed in. A confirmed
        link (allauth found its SocialAccount) signs in as usual; anything else ends here on a
        page that says why."""
        if sociallogin.is_existing:
            return
        connecting = sociallogin.state.get("process") == AuthProcess.CONNECT
        if connecting and request.user.is_authenticated:
            user = request.user  # signed in already, adding the provider on the account page
        else:
            user = selectors.account_for_verified_email(_verified_addresses(sociallogin))
        if user is None:
            raise ImmediateHttpResponse(render(request, "signin/no_account.html", status=403))
        if not selectors.holds_staff_role(user):
            raise ImmediateHttpResponse(render(request, "signin/staff_only.html", status=403))
        account = sociallogin.account
        data = account.extra_data.get("userinfo") or account.extra_data.get("id_token") or {}
        link = services.request_link(
            user=user,
            provider=account.provider,
            uid=account.uid,
            email=(data.get("email") or user.email)[:254],
            name=str(data.get("name") or ""),
        )
        # Refused, or this identity is already tied to another account: no sign-in, ask an admin.
        refused = link.status == SignInLink.Status.REFUSED or link.user_id != user.pk
        context = {"provider_name": getattr(sociallogin.provider, "name", account.provider)}
        if refused:
            raise ImmediateHttpResponse(render(request, "signin/refused.html", context, status=403))
        raise ImmediateHttpResponse(render(request, "signin/pending.html", context))


def _verified_addresses(sociallogin) -> list[str]:
    """The addresses the provider vouches for: marked verified by it (the `email_verified`
    claim), or every address of a provider configured with trust_email."""
    provider = sociallogin.provider
    trusted = bool(provider is not None and provider.app.settings.get("trust_email"))
    return [a.email for a in sociallogin.email_addresses if a.email and (a.verified or trusted)]
