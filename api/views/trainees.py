"""/trainees/: apprentices of the chamber's member businesses, upserted by Lehrlingsrolle
number."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from core.errors import InvalidInput

from ..filters import TextFilter, UpdatedFilter
from ..idempotency import idempotent
from ..schema import IDEMPOTENCY_HEADER
from ..selectors import member_business, trainees_of
from ..serializers.trainees import TraineeInputSerializer, TraineeSerializer
from ..services.trainees import delete_trainee, upsert_trainee
from .base import READ_PEOPLE, ChamberViewMixin


class TraineeFilter(UpdatedFilter):
    lehrlingsrolle_number = TextFilter(
        field_name="lehrlingsrolle_number", strip=True, description="Exact Lehrlingsrolle number."
    )


@extend_schema_view(
    list=extend_schema(summary="Trainees employed by the chamber's member businesses"),
    retrieve=extend_schema(summary="One trainee"),
)
class TraineeViewSet(
    ChamberViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = TraineeSerializer
    required_scopes = {"GET": READ_PEOPLE, "*": ("businesses:write",)}
    filtersets = {"list": TraineeFilter}

    def get_queryset(self):
        return trainees_of(self.chamber)

    @extend_schema(
        request=TraineeInputSerializer,
        responses={200: TraineeSerializer, 201: TraineeSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        summary="Upsert an apprentice by Lehrlingsrolle number (201 created, 200 otherwise)",
    )
    @idempotent
    def create(self, request):
        data = TraineeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        business = member_business(self.chamber, fields.pop("business").strip())
        if business is None:
            raise InvalidInput(
                _("Kein Mitgliedsbetrieb mit dieser Mitgliedsnummer."), field="business"
            )
        profile, created, _changed = upsert_trainee(
            chamber=self.chamber, business=business, **fields
        )
        return Response(
            TraineeSerializer(trainees_of(self.chamber).get(pk=profile.pk)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(responses={204: None}, summary="Delete a trainee (leaves a tombstone)")
    def destroy(self, request, pk=None):
        delete_trainee(profile=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
