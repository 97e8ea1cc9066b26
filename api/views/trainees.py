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
from ..serializers.trainees import (
    TraineeInputSerializer,
    TraineeLinkPendingSerializer,
    TraineeSerializer,
)
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
        responses={
            200: TraineeSerializer,
            201: TraineeSerializer,
            202: TraineeLinkPendingSerializer,
        },
        parameters=[IDEMPOTENCY_HEADER],
        summary="Upsert an apprentice by Lehrlingsrolle number (201 created, 200 otherwise)",
        description=(
            "Creates or updates the chamber's data about an apprentice: names, date of birth, "
            "occupation, apprenticeship start and the employing member business (a confirmed "
            "employment). It never changes the login of an account that someone uses (e-mail "
            "address, password, activation): an `email` sent for an existing trainee is "
            "ignored, and the response shows the account's own address. Only an account the "
            "API created and nobody has used yet (no password, never signed in) may still get "
            "a corrected address.\n\n"
            "When the number is new and `email` belongs to an existing account, nothing is "
            "written to that account: the answer is **202** (`pending_confirmation`), the "
            "account's owner gets an e-mail at their own address and confirms the record after "
            "signing in. From then on the trainee appears in the list and upserts update it."
        ),
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
        result = upsert_trainee(chamber=self.chamber, business=business, **fields)
        if result.link is not None:
            return Response(
                TraineeLinkPendingSerializer(result.link).data, status=status.HTTP_202_ACCEPTED
            )
        return Response(
            TraineeSerializer(trainees_of(self.chamber).get(pk=result.profile.pk)).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )

    @extend_schema(responses={204: None}, summary="Delete a trainee (leaves a tombstone)")
    def destroy(self, request, pk=None):
        delete_trainee(profile=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
