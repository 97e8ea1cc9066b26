"""The second-factor rule for staff: when MFA_REQUIRED_FOR_STAFF is on, a district admin,
coordinator, instructor or admin-site user without an authenticator app or security key is sent to
set one up before any page behind a login (ours and the admin). Public pages and allauth's own
pages (sign-out, the second-factor setup itself) stay open, so nobody is locked in a loop."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors import has_second_factor, holds_staff_role

# The pages a staff user reaches without a second factor: allauth's (account, MFA setup,
# sign-out), the language switch, health checks. The API authenticates by key, not session.
OPEN_MODULES = ("allauth.", "django.views.i18n", "config.health", "django.views.static")


class SecondFactorForStaffMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.MFA_REQUIRED_FOR_STAFF or not _guarded(request, view_func):
            return None
        user = request.user
        if not holds_staff_role(user) or has_second_factor(user):
            return None
        messages.warning(
            request,
            _(
                "Ihre Rolle erfordert einen zweiten Faktor. Bitte richten Sie eine "
                "Authenticator-App oder einen Sicherheitsschlüssel ein."
            ),
        )
        return redirect(reverse("mfa_index"))


def _guarded(request, view_func) -> bool:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return False
    if getattr(view_func, "access_public", False):
        return False
    module = getattr(view_func, "__module__", "") or ""
    return not (module.startswith(OPEN_MODULES) or request.path.startswith("/api/"))
