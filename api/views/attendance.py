"""/attendance/: attendance of the chamber's apprentices, per session."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from ..filters import IdFilter, UpdatedFilter
from ..selectors import attendance_of
from ..serializers.attendance import AttendanceSerializer
from .base import ChamberViewMixin


class AttendanceFilter(UpdatedFilter):
    run = IdFilter(field_name="session__run_id", description="Only attendance of this run.")
    enrolment = IdFilter(
        field_name="enrolment_id", description="Only attendance of this enrolment."
    )


@extend_schema_view(
    list=extend_schema(summary="Attendance of the chamber's apprentices, per session"),
    retrieve=extend_schema(summary="One attendance record"),
)
class AttendanceViewSet(ChamberViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AttendanceSerializer
    required_scopes = {"*": ("enrolments:read",)}
    filtersets = {"list": AttendanceFilter}

    def get_queryset(self):
        return attendance_of(self.chamber)
