"""/tombstones/: deleted businesses, trainees that left the chamber's view (deleted, deactivated,
moved to another chamber's business) and runs withdrawn from public view, so that a syncing
client deletes them too."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from ..filters import StatusFilter, TimestampFilter
from ..pagination import UpdatedCursorPagination
from ..selectors import tombstones_of
from ..serializers.tombstones import TombstoneSerializer
from .base import READ_PEOPLE, ChamberViewMixin


class TombstonePagination(UpdatedCursorPagination):
    field = "deleted_at"


class TombstoneFilter(django_filters.FilterSet):
    updated_since = TimestampFilter(
        field_name="deleted_at", description="Only deletions at or after this time."
    )
    # One of these, as the schema's enum says (a misspelt resource is a 400, not an empty list).
    resource = StatusFilter(field_name="resource", choices=["businesses", "trainees", "runs"])


@extend_schema_view(
    list=extend_schema(
        summary="Deleted businesses, trainees that left the chamber's view and withdrawn runs, "
        "so that a syncing client can delete them too"
    )
)
class TombstoneViewSet(ChamberViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = TombstoneSerializer
    pagination_class = TombstonePagination
    required_scopes = {"*": READ_PEOPLE}
    filtersets = {"list": TombstoneFilter}

    def get_queryset(self):
        return tombstones_of(self.chamber)
