"""/enrolments/: enrolments of the chamber's member businesses; booking and cancelling go through
the booking service, as in the web UI."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.errors import DomainError, InvalidInput
from courses.models import Enrolment
from courses.services import booking

from ..filters import IdFilter, StatusFilter, UpdatedFilter
from ..idempotency import idempotent
from ..permissions import ChamberAsBusinessContact
from ..renderers import PageJSONRenderer, RenderedRows
from ..schema import IDEMPOTENCY_HEADER
from ..selectors import enrolments_of, trainee_by_number_or_id, visible_runs
from ..serializers.enrolments import (
    ROW_COLUMNS,
    CancelInputSerializer,
    EnrolmentInputSerializer,
    EnrolmentSerializer,
    enrolment_rows,
    timestamp_from_text,
)
from .base import ChamberViewMixin, etag_source


class EnrolmentFilter(UpdatedFilter):
    run = IdFilter(field_name="run_id", description="Only enrolments of this run.")
    trainee = IdFilter(
        field_name="participant__trainee_profile__id",
        description="Only enrolments of this trainee (id).",
    )
    status = StatusFilter(field_name="status", choices=Enrolment.Status.values)


@extend_schema_view(
    list=extend_schema(
        summary="Enrolments of the chamber's member businesses (cancellations stay, as status)"
    ),
    retrieve=extend_schema(summary="One enrolment"),
)
class EnrolmentViewSet(
    ChamberViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = EnrolmentSerializer
    required_scopes = {"GET": ("enrolments:read",), "POST": ("enrolments:write",)}
    filtersets = {"list": EnrolmentFilter}
    renderer_classes = [PageJSONRenderer]

    def get_queryset(self):
        return enrolments_of(self.chamber)

    def list(self, request, *args, **kwargs):
        """A page as EnrolmentSerializer prints it, from plain rows instead of model instances and
        rendered once (a sync pulls pages of 1000)."""
        queryset = self.filter_queryset(self.get_queryset()).values_list(*ROW_COLUMNS)
        values = self.paginator.paginate_queryset(
            queryset,
            request,
            view=self,
            position=lambda row: (timestamp_from_text(row[-1]), row[0]),
        )
        rows = enrolment_rows(values, as_text=True)
        rendered = RenderedRows(JSONRenderer().render(rows))
        # The ETag digests a page's rows as ASCII JSON: these bytes, unless a name is not ASCII.
        if not rendered.isascii():
            rendered.etag_source = etag_source(rows)
        return self.paginator.get_paginated_response(rendered)

    def _output(self, enrolment, status_code=status.HTTP_200_OK) -> Response:
        out = enrolments_of(self.chamber).get(pk=enrolment.pk)
        return Response(EnrolmentSerializer(out).data, status=status_code)

    @extend_schema(
        request=EnrolmentInputSerializer,
        responses={201: EnrolmentSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        summary="Book an apprentice into a run (confirmed, or on the waiting list)",
    )
    @idempotent
    def create(self, request):
        data = EnrolmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = visible_runs().filter(pk=data.validated_data["run"]).first()
        if run is None:
            raise InvalidInput(_("Diese Kursdurchführung gibt es nicht."), field="run")
        profile = trainee_by_number_or_id(self.chamber, data.validated_data["trainee"].strip())
        if profile is None:
            raise InvalidInput(
                _("Kein:e Auszubildende:r eines Mitgliedsbetriebs mit dieser Nummer."),
                field="trainee",
            )
        try:
            enrolment = booking.book(
                run=run,
                participant=profile.user,
                booked_by=None,
                business=profile.business,
                source="api",
                requirements_confirmed=data.validated_data["requirements_confirmed"],
            )
        except DomainError as exc:
            if exc.field == "participant":  # the API calls the participant "trainee"
                exc.field = "trainee"
            raise
        return self._output(enrolment, status.HTTP_201_CREATED)

    @extend_schema(
        request=CancelInputSerializer,
        responses={200: EnrolmentSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        summary="Cancel an enrolment (the next on the waiting list moves up)",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, pk=None):
        enrolment = self.get_object()  # one of the chamber's: another chamber's is a 404
        data = CancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking.cancel(
            enrolment=enrolment,
            actor=ChamberAsBusinessContact(self.chamber),
            reason=data.validated_data["reason"],
        )
        return self._output(enrolment)
