"""The frame of a page (the base layout around its content: navigation, language switch, footer)
rendered once per template, language and time zone, and served to anonymous visitors with only
their own parts filled in: the content, the CSRF token, the path the language switch returns to
and the CSP nonce. Rendering the layout costs a few milliseconds; filling it in costs a join.

Only a visitor who is not signed in and has no message waiting gets a stored frame: for them
everything else in the layout is the same for every request. A signed-in user, or a request
with messages, is rendered in full as before. The frame is rendered through the ordinary
template with the ordinary context processors; the request it sees offers only the per-request
parts above as placeholders, and a frame whose rendering asked anything else of the request is
served to that request but not stored (so the page stays right, only slower). A placeholder
is filled in as `{{ }}` shows a value (escaped): a filter on one of them would be lost."""

import re
import secrets

from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.autoreload import file_changed
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

# Random per process, so that no text in a stored frame can pose as a placeholder.
_MARK = secrets.token_hex(8)
_SLOT = re.compile(f"{_MARK}([a-z_]+){_MARK}")


def _placeholder(name: str) -> str:
    return mark_safe(f"{_MARK}{name}{_MARK}")  # noqa: S308 - letters and digits only


# (template name, language, time zone) -> the frame split at its placeholders: text, slot name,
# text, ... Bounded by the templates that use it times two languages.
_frames: dict[tuple[str, str, str], list[str]] = {}


@receiver(setting_changed)
@receiver(file_changed)
def forget_frames(**_kwargs) -> None:
    """Render every frame anew: after a change of a template or setting (tests, the
    development server's reloader)."""
    _frames.clear()


class _FrameRequest:
    """The request as a stored frame may see it: its per-request parts are placeholders; asking
    for anything else marks the frame as not storable and answers from the real request."""

    def __init__(self, request):
        self._request = request
        self.storable = True

    def get_full_path(self) -> str:
        return _placeholder("path")

    @property
    def csp_nonce(self) -> str:
        self._request.csp_nonce  # noqa: B018 - without the CSP middleware: not storable, no nonce
        return _placeholder("nonce")

    def __getattr__(self, name: str):
        self.storable = False
        return getattr(self._request, name)


def _filled(request, slot: str, values: dict) -> str:
    if slot not in values:
        if slot == "path":
            values[slot] = conditional_escape(request.get_full_path())
        elif slot == "nonce":
            values[slot] = conditional_escape(str(request.csp_nonce))
        else:  # csrf_token: one token per response, as the template's lazy csrf_token gives
            values[slot] = get_token(request)
    return values[slot]


def render_framed(request, template_name: str, content: str) -> HttpResponse:
    """render(request, template_name, {"content": content}) for the same bytes; `content` is
    safe HTML the same for everyone (nothing of the request in it)."""
    if request.user.is_authenticated or len(get_messages(request)):
        return render(request, template_name, {"content": mark_safe(content)})  # noqa: S308
    key = (template_name, get_language(), get_current_timezone_name())
    parts = _frames.get(key)
    if parts is None:
        stand_in = _FrameRequest(request)
        html = render_to_string(
            template_name,
            {
                "request": stand_in,
                "csrf_token": _placeholder("csrf_token"),
                "content": _placeholder("content"),
            },
            request,
        )
        parts = _SLOT.split(html)
        if stand_in.storable:
            _frames[key] = parts
    values = {"content": content}
    pieces = parts.copy()
    for index in range(1, len(pieces), 2):
        pieces[index] = _filled(request, pieces[index], values)
    return HttpResponse("".join(pieces))
