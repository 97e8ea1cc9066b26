"""/runs/: runs of the catalogue with sessions and seats left; their ÜLU report is in reports."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.renderers import JSONRenderer

from core.freshness import cached_while_unchanged
from courses.selectors import CATALOGUE_STAMPED

from ..filters import IdFilter, StatusFilter, UpdatedFilter
from ..renderers import PageJSONRenderer, RenderedRows
from ..selectors import VISIBLE_RUN_STATUSES, runs_with_sessions
from ..serializers.runs import RunSerializer
from .base import ChamberViewMixin
from .reports import UeluReportMixin


class RunFilter(UpdatedFilter):
    course = IdFilter(field_name="course_id", description="Only runs of this course.")
    status = StatusFilter(field_name="status", choices=VISIBLE_RUN_STATUSES)


@extend_schema_view(
    list=extend_schema(
        summary="Runs (published, completed and cancelled) with sessions and seats left"
    ),
    retrieve=extend_schema(summary="One run"),
)
class RunViewSet(UeluReportMixin, ChamberViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RunSerializer
    required_scopes = {"*": ("courses:read",), "uelu_report": ("enrolments:read",)}
    filtersets = {"list": RunFilter}

    renderer_classes = [PageJSONRenderer]

    def get_queryset(self):
        return runs_with_sessions(prefetch=self.action != "list")

    def list(self, request, *args, **kwargs):
        """A page of runs, its rows cached while nothing they show has changed (the list is the
        same for every chamber; the key still names the chamber). Only first pages: the pages
        after a cursor are read once by one syncing client."""
        if self.paginator.cursor_query_param in request.query_params:
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())  # a bad filter is a 400 here
        paginator = self.paginator
        paginator.start(request)  # so is a bad page size

        def build():
            rows = paginator.fetch(queryset)
            data = self.get_serializer(rows, many=True).data
            return RenderedRows(JSONRenderer().render(data)), paginator.has_next, paginator.last

        horizon = []
        zone = timezone.get_current_timezone_name()
        key = f"api-runs:{self.chamber.pk}:{zone}:{request.get_full_path()}"
        rows, has_next, last = cached_while_unchanged(
            key, CATALOGUE_STAMPED, build, horizon=horizon
        )
        paginator.finish(has_next, last, horizon=horizon[0])
        return paginator.get_paginated_response(rows)
