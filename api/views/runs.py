"""/runs/: runs of the catalogue with sessions and seats left; their ÜLU report is in reports."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from ..filters import IdFilter, StatusFilter, UpdatedFilter
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

    def get_queryset(self):
        return runs_with_sessions(prefetch=self.action != "list")
