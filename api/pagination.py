"""Keyset pagination on (updated_at, id) for sync clients.

DRF's CursorPagination positions on the first ordering field only and counts an offset among rows
sharing its value; when such a row changes while a client pages, the offset shifts and a row is
skipped. Here the cursor holds the last (updated_at, id) seen, and the next page is everything
strictly after it. A row changed meanwhile gets a newer updated_at and so comes again later: a
client that pages to the end has seen every row in its latest state, none skipped.

Concurrent writers: `updated_at` is stamped before the writing transaction commits, so a change
stamped earlier can become visible after one stamped later (two transactions, the earlier one
commits last). A cursor past the later row would skip it for ever. So every cursor carries the
change horizon (core.freshness.change_horizon: a time before which every writer still running
began, minus a margin; the minimum over the pages of one sync), and `last_cursor`, where the next
sync starts, never lies beyond it: the next sync repeats the few rows after the horizon (clients
upsert anyway) and finds the late committer among them."""

import base64
import binascii
import datetime as dt
import json
import re
from urllib.parse import urlencode

from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from .errors import UnknownCursor
from .selectors import change_horizon

# The form of a cursor (unpadded base64url, as `encode` makes it), stated in the schema too: a
# value of another form is a 400; one of this form that is no cursor of ours a 422.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,400}$"


class UpdatedCursorPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    page_size = 100
    max_page_size = 1000
    field = "updated_at"

    def _decode(self, raw: str) -> tuple[dt.datetime, int, dt.datetime | None]:
        if not re.fullmatch(CURSOR_PATTERN, raw):
            raise ValidationError({self.cursor_query_param: [_("Ungültiger Cursor.")]})
        try:
            padded = raw + "=" * (-len(raw) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            ts = dt.datetime.fromisoformat(data["u"])
            pk = int(data["i"])
            horizon = dt.datetime.fromisoformat(data["h"]) if data.get("h") else None
            if ts.tzinfo is None or not (0 <= pk < 2**63):
                raise ValueError
            if horizon is not None and horizon.tzinfo is None:
                raise ValueError
            return ts, pk, horizon
        except (
            ValueError,
            KeyError,
            TypeError,
            binascii.Error,
            UnicodeEncodeError,
            json.JSONDecodeError,
        ) as exc:
            raise UnknownCursor(
                _("Diesen Cursor hat der Server nicht ausgegeben."), field=self.cursor_query_param
            ) from exc

    @staticmethod
    def encode(ts: dt.datetime, pk: int, horizon: dt.datetime | None = None) -> str:
        data = {"u": ts.astimezone(dt.UTC).isoformat(), "i": pk}
        if horizon is not None:
            data["h"] = horizon.astimezone(dt.UTC).isoformat()
        raw = json.dumps(data, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError as exc:
            raise ValidationError(
                {self.page_size_query_param: [_("Eine ganze Zahl erwartet.")]}
            ) from exc
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [_("Zwischen 1 und %d.") % self.max_page_size]}
            )
        return size

    def paginate_queryset(self, queryset, request, view=None, *, position=None):
        self.start(request)
        horizon = change_horizon()  # before the rows are read: see the module's docstring
        page = self.fetch(queryset, position=position)
        self.finish(self.has_next, self.last, horizon=horizon)
        return page

    def start(self, request) -> None:
        """Read the page size and the cursor (400 or 422 when they are wrong)."""
        self.request = request
        self.size = self.get_page_size(request)
        raw = request.query_params.get(self.cursor_query_param)
        self.position = self.cursor_horizon = None
        if raw is not None:
            ts, pk, self.cursor_horizon = self._decode(raw)
            self.position = (ts, pk)

    def fetch(self, queryset, *, position=None) -> list:
        """The page of rows after the cursor; `position(row)` is a row's (field, id) when the
        rows are no model instances (values_list)."""
        if self.position is not None:
            ts, pk = self.position
            # (field, id) > (ts, pk), written so that the first condition alone bounds an index
            # range scan on (field, id); the OR only filters within it.
            queryset = queryset.filter(
                Q(**{f"{self.field}__gte": ts}),
                Q(**{f"{self.field}__gt": ts}) | Q(pk__gt=pk),
            )
        rows = list(queryset.order_by(self.field, "pk")[: self.size + 1])
        self.has_next = len(rows) > self.size
        page = rows[: self.size]
        if position is None:
            position = self._position
        self.last = position(page[-1]) if page else None
        return page

    def _position(self, row) -> tuple:
        return getattr(row, self.field), row.pk

    def finish(self, has_next: bool, last: tuple | None, *, horizon: dt.datetime) -> None:
        """What the links need: whether more follow, the last row's position (from fetch, or
        kept with a cached page) and the change horizon read before the rows were."""
        self.has_next, self.last = has_next, last
        self.horizon = horizon
        if self.cursor_horizon is not None:
            self.horizon = min(self.horizon, self.cursor_horizon)

    def get_next_link(self):
        if not self.has_next or self.last is None:
            return None
        params = self.request.query_params.copy()
        params[self.cursor_query_param] = self.encode(*self.last, self.horizon)
        return (
            self.request.build_absolute_uri(self.request.path)
            + "?"
            + urlencode(sorted(params.items()))
        )

    def get_paginated_response(self, data):
        next_link = self.get_next_link()
        position = self.last or self.position
        next_cursor = last_cursor = None
        if position is not None:
            next_cursor = self.encode(*position, self.horizon)
            # Where the next sync starts: never beyond the horizon (a late committer may still
            # bring rows stamped before it).
            if position[0] >= self.horizon:
                position = (self.horizon, 0)
            last_cursor = self.encode(*position, self.horizon)
        return Response(
            {
                "next": next_link,
                "next_cursor": next_cursor if next_link else None,
                "last_cursor": last_cursor,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results", "next"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "next_cursor": {"type": "string", "nullable": True},
                "last_cursor": {
                    "type": "string",
                    "nullable": True,
                    "description": "Where a later sync continues: after the last row of this "
                    "page, or earlier when writes were still committing (those rows then come "
                    "again; upsert them).",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque cursor from `next_cursor` of the previous page (400 when "
                "not of this form, 422 when of this form but not issued by this server).",
                "schema": {"type": "string", "pattern": CURSOR_PATTERN},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page (1–{self.max_page_size}, default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
