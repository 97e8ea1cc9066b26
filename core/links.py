"""Absolute URLs for what leaves the site: e-mails, calendar files, feeds, QR codes, webhooks.
In a request, links are relative; outside one there is no host, so SITE_URL is the base."""

from django.conf import settings
from django.urls import reverse


def absolute_url(target, *args, **kwargs) -> str:
    """`target` is a path ("/my/"), a URL name ("courses:run", args) or an object with
    get_absolute_url()."""
    if hasattr(target, "get_absolute_url"):
        path = target.get_absolute_url()
    elif isinstance(target, str) and target.startswith("/"):
        path = target
    else:
        path = reverse(target, args=args or None, kwargs=kwargs or None)
    return f"{settings.SITE_URL}{path}"
