"""Query parameters of the list endpoints, as django-filter FilterSets (each resource declares its
own in its views module). A bad value is a 400 problem naming the parameter, never a 500; each
filter also carries its OpenAPI description, so the schema documents exactly what is parsed."""

import datetime as dt
import re

from django import forms
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.utils import extend_schema_field

from core.validators import parse_id

UPDATED_SINCE_HELP = (
    "Only rows changed at or after this time "
    "(ISO 8601 with offset, e.g. 2025-03-01T08:00:00+01:00)."
)


# RFC 3339 date-time, what the schema's `format: date-time` admits: T, seconds and an offset
# (matched optional here, so that a missing offset gets its own message below).
RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})?", re.ASCII
)


class TimestampField(forms.Field):
    """An RFC 3339 time with its offset (a naive time is ambiguous across DST), in UTC. Absent
    means no filter; present but empty or in another ISO 8601 spelling is an error, as the
    schema says."""

    def to_python(self, value):
        if value is None:
            return None
        try:
            parsed = parse_datetime(value) if RFC3339.fullmatch(value) else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise forms.ValidationError(
                _("Kein Zeitpunkt nach ISO 8601, z. B. 2025-03-01T08:00:00+01:00."), code="invalid"
            )
        if parsed.tzinfo is None:
            raise forms.ValidationError(
                _("Der Zeitpunkt braucht eine Zeitzone (Z oder +01:00)."), code="invalid"
            )
        try:
            return parsed.astimezone(dt.UTC)
        except (OverflowError, ValueError) as exc:
            raise forms.ValidationError(
                _("Zeitpunkt außerhalb des gültigen Bereichs."), code="invalid"
            ) from exc


class IdField(forms.Field):
    """A database id: digits that fit a 64-bit integer."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        parsed = parse_id(value)
        if parsed is None:
            raise forms.ValidationError(_("Eine positive ganze Zahl erwartet."), code="invalid")
        return parsed


class StatusField(forms.CharField):
    """One of the statuses in `choices` (pairs, as Django's), exactly as written."""

    def __init__(self, *, choices, **kwargs):
        self.choices = [str(value) for value, _label in choices]
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and value not in self.choices:
            raise forms.ValidationError(_("Unbekannter Status."), code="invalid")


class ApiFilter(filters.Filter):
    """A filter with its OpenAPI schema stated here: `openapi` (type), `description`, `enum`."""

    openapi: dict = {"type": "string"}

    def __init__(self, *, description: str = "", enum=None, **kwargs):
        kwargs.setdefault("label", description or kwargs.get("field_name"))
        super().__init__(**kwargs)
        schema = dict(self.openapi)
        if enum is not None:
            schema["enum"] = [str(v) for v in enum]
        if description:
            schema["description"] = description
        extend_schema_field(schema)(self)


class TimestampFilter(ApiFilter):
    field_class = TimestampField
    openapi = {"type": "string", "format": "date-time"}

    def __init__(self, **kwargs):
        kwargs.setdefault("lookup_expr", "gte")
        super().__init__(**kwargs)


class IdFilter(ApiFilter):
    field_class = IdField
    # What IdField takes: up to 18 digits, no sign.
    openapi = {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}


class StatusFilter(ApiFilter):
    """Exact match on one of the given statuses; the schema lists them as an enum."""

    field_class = StatusField

    def __init__(self, *, choices, **kwargs):
        values = [str(c) for c in choices]
        super().__init__(enum=values, choices=[(v, v) for v in values], strip=False, **kwargs)


class TextFilter(ApiFilter):
    """Exact match on the text as sent (an empty value filters nothing; with `strip`, the value
    is compared without surrounding blanks)."""

    field_class = forms.CharField

    def __init__(self, *, strip: bool = False, **kwargs):
        self.strip = strip
        super().__init__(strip=False, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return super().filter(qs, value.strip() if self.strip else value)


class UpdatedFilter(filters.FilterSet):
    """`updated_since`, what every syncable list has."""

    updated_since = TimestampFilter(field_name="updated_at", description=UPDATED_SINCE_HELP)


class ListFilterBackend(filters.DjangoFilterBackend):
    """The view's `filtersets` by action (`{"list": RunFilter}`): query parameters narrow a list;
    a single object is found by its id alone (see ChamberViewMixin.get_object)."""

    def get_filterset_class(self, view, queryset=None):
        return getattr(view, "filtersets", {}).get(getattr(view, "action", None))

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        # Each of our filters reads the one parameter of its name: a request naming none of them
        # (a sync client's plain page) is the whole list, without building and validating a form.
        if (
            filterset_class is not None
            and not any(name in request.query_params for name in filterset_class.base_filters)
            and all(isinstance(f, ApiFilter) for f in filterset_class.base_filters.values())
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)
