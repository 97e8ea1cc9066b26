"""What every chamber endpoint shares: key authentication, scopes, throttling per key, problem
details, keyset paging, list filters."""

import json

from django.shortcuts import get_object_or_404
from rest_framework.permissions import IsAuthenticated

from core.conditional import digest_etag

from ..authentication import ApiKeyAuthentication
from ..filters import ListFilterBackend
from ..pagination import UpdatedCursorPagination
from ..parsers import JSONParser
from ..permissions import HasScope
from ..problems import exception_handler
from ..renderers import RenderedRows
from ..schema import ApiAutoSchema
from ..throttling import ApiKeyThrottle

ID = r"[0-9]{1,18}"  # fits a 64-bit integer; anything else is a 404, never an overflow

# Businesses, trainees and their tombstones: readable with either scope.
READ_PEOPLE = ("enrolments:read", "businesses:write")


def etag_source(rows: list) -> bytes:
    """What the ETag of a page of these rows digests."""
    return json.dumps(rows, default=str, separators=(",", ":")).encode()


class ChamberViewMixin:
    # A comment, not a docstring: drf-spectacular would print a docstring on every operation.
    # Each view declares `required_scopes` (api.permissions.HasScope), takes its queryset from
    # api.selectors narrowed to `self.chamber`, and its list filters as `filtersets`.

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [IsAuthenticated, HasScope]
    throttle_classes = [ApiKeyThrottle]
    parser_classes = [JSONParser]  # one request format: JSON (also keeps the schema simple)
    pagination_class = UpdatedCursorPagination
    filter_backends = [ListFilterBackend]
    filtersets: dict = {}
    lookup_value_regex = ID
    required_scopes: dict = {}
    schema = ApiAutoSchema()

    def get_exception_handler(self):
        return exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            request.method == "GET"
            and response.status_code == 200
            and isinstance(data, dict)
            and "results" in data
        ):
            # A page's ETag: its rows and whether more follow, not its next-page cursor (encrypted
            # anew each time); core.conditional answers 304 when the client has those rows.
            rows = data["results"]
            more = b"more" if data.get("next") else b"last"
            path = request.get_full_path().encode()
            if isinstance(rows, RenderedRows):
                response["ETag"] = rows.etag(more, path)
            else:
                response["ETag"] = digest_etag(etag_source(rows), more, path)
        return response

    @property
    def chamber(self):
        auth = getattr(self.request, "auth", None)
        return auth.chamber if auth is not None else None  # None only while the schema is built

    def get_object(self):
        # By its id in the chamber's queryset alone: query parameters narrow lists, not lookups.
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        obj = get_object_or_404(
            self.get_queryset(), **{self.lookup_field: self.kwargs[lookup_url_kwarg]}
        )
        self.check_object_permissions(self.request, obj)
        return obj
