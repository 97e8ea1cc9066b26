"""The one place tests build times: relative to today in the project's time zone, so a test
written for "three weeks ahead at 8 o'clock" reads that way and never depends on the hour it
runs at."""

import datetime as dt

from django.utils import timezone

# What an <input type="datetime-local"> posts.
FORM_DATETIME = "%Y-%m-%dT%H:%M"


def day_at(days: int, hour: int = 8, minute: int = 0) -> dt.datetime:
    """Local wall-clock time `days` from today (aware); negative days lie in the past."""
    base = timezone.localtime().replace(hour=hour, minute=minute, second=0, microsecond=0)
    return base + dt.timedelta(days=days)


def next_monday(weeks_ahead: int = 0) -> dt.date:
    """The Monday after this week, `weeks_ahead` weeks further on."""
    today = timezone.localdate()
    return today + dt.timedelta(days=(7 - today.weekday()) + 7 * weeks_ahead)


def form_datetime(value: dt.datetime) -> str:
    """`value` as a datetime-local form field posts it, in local time."""
    return timezone.localtime(value).strftime(FORM_DATETIME)
