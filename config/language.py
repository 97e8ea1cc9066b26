"""The language follows the user's choice, then the browser.

Django's LocaleMiddleware already honours the language cookie (set by /i18n/setlang/) and then the
Accept-Language header. This middleware adds the signed-in user's saved choice in between: when the
user switches language it is stored on the account, and on a browser without the cookie (a new
device, after logging in) the saved language wins over the browser's header.
"""

from functools import cached_property

from django.conf import settings
from django.urls import reverse
from django.utils import translation


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    @cached_property
    def set_language_path(self) -> str:
        # Reversed once per process, not on every POST (a booking is one).
        return reverse("set_language")

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.method == "POST" and request.path == self.set_language_path:
                chosen = request.POST.get("language", "")
                if chosen in self.codes and chosen != user.language:
                    user.language = chosen
                    user.save(update_fields=["language"])
            elif (
                settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and user.language in self.codes
            ):
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        return self.get_response(request)
