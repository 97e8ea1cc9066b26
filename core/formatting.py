"""Dates and times as people and machines read them. People get the formats of their language
(Django's date_format and the locale files: 24.12.2026 in German, Dec. 24, 2026 in English);
machines get ISO 8601. Never strftime("%d.%m.%Y"): it ignores the user's language."""

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format


def iso(value: dt.date | dt.datetime | None, *, tz: dt.tzinfo | None = None) -> str | None:
    """ISO 8601 for APIs, feeds and snapshots; aware datetimes keep their offset. With `tz`, an
    aware datetime is shown in that zone and UTC as "Z", as DRF's DateTimeField prints it (pass
    the zone in when formatting many values: looking it up per value is not free)."""
    if value is None:
        return None
    if tz is None or not isinstance(value, dt.datetime):
        return value.isoformat()
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def local_date(value: dt.date | dt.datetime | None) -> str:
    """A date in the active language; datetimes are shown in the local time zone first."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return date_format(value, "SHORT_DATE_FORMAT")


def local_datetime(value: dt.datetime | None) -> str:
    """Date and time in the local time zone and the active language."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "SHORT_DATETIME_FORMAT")


def local_time(value: dt.datetime | dt.time | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "TIME_FORMAT")
