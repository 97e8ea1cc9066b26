"""/runs/{id}/uelu-report/: the ÜLU report of a run, with the participants of the key's chamber
only (the chambers claim funding with it)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from courses.reports import uelu_report

from ..selectors import visible_runs
from ..serializers.reports import UeluReportSerializer


class UeluReportMixin:
    # The report action of the runs resource. (No docstring: drf-spectacular would print it on
    # every operation of the runs.)

    @extend_schema(
        summary="ÜLU report: participants of this chamber with hours attended per day",
        responses=UeluReportSerializer,
    )
    @action(detail=True, methods=["get"], url_path="uelu-report", pagination_class=None)
    def uelu_report(self, request, pk=None):
        run = get_object_or_404(visible_runs(), pk=pk)
        report = uelu_report(run, chamber_id=self.chamber.pk)
        return Response(UeluReportSerializer(report).data)
