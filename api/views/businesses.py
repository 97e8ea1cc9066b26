"""/businesses/: the chamber's member businesses, upserted by member number."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.errors import InvalidInput

from ..filters import UpdatedFilter
from ..idempotency import idempotent
from ..schema import IDEMPOTENCY_HEADER
from ..selectors import businesses_of
from ..serializers.businesses import (
    BusinessCreateSerializer,
    BusinessInputSerializer,
    BusinessSerializer,
)
from ..services.businesses import delete_business, upsert_business
from .base import READ_PEOPLE, ChamberViewMixin


@extend_schema_view(
    list=extend_schema(summary="The chamber's member businesses"),
    retrieve=extend_schema(summary="One member business by member number"),
)
class BusinessViewSet(
    ChamberViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = BusinessSerializer
    lookup_field = "member_number"
    # One line of at most 32 characters: no slash and no control character (core.validators).
    lookup_value_regex = r"[^/\x00-\x1f\x7f-\x9f\u2028\u2029]{1,32}"
    required_scopes = {"GET": READ_PEOPLE, "*": ("businesses:write",)}
    filtersets = {"list": UpdatedFilter}

    def get_queryset(self):
        return businesses_of(self.chamber)

    def _upsert(self, member_number: str, fields: dict) -> Response:
        business, created, _changed = upsert_business(
            chamber=self.chamber, member_number=member_number, **fields
        )
        return Response(
            BusinessSerializer(business).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        request=BusinessCreateSerializer,
        responses={200: BusinessSerializer, 201: BusinessSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        summary="Upsert a member business by member number (201 created, 200 updated or unchanged)",
    )
    @idempotent
    def create(self, request):
        data = BusinessCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        return self._upsert(fields.pop("member_number").strip(), fields)

    @extend_schema(
        request=BusinessInputSerializer,
        responses={200: BusinessSerializer, 201: BusinessSerializer},
        summary="Create or update the member business with this member number",
        description="The member number is the one in the path; the body need not repeat it, and "
        "one that differs is refused (422 on member_number).",
    )
    def update(self, request, member_number=None):
        data = BusinessInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        # A client that repeats the member number must not name another business.
        body_number = fields.pop("member_number", None)
        if body_number is not None and body_number.strip() != member_number.strip():
            # Well-formed, but it contradicts the path: 422, as for other rules the schema
            # cannot state.
            raise InvalidInput(_("Weicht von der Nummer in der Adresse ab."), field="member_number")
        if not member_number.strip():
            raise ValidationError({"member_number": [_("Pflichtfeld.")]})
        return self._upsert(member_number, fields)

    @extend_schema(
        responses={204: None},
        summary="Deactivate a member business (it stays listed with is_active false, with its "
        "enrolments, certificates and trainees)",
    )
    def destroy(self, request, member_number=None):
        delete_business(business=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
