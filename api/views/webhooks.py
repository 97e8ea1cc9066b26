"""/webhooks/: the chamber's webhook endpoints and their delivery log."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..filters import UpdatedFilter
from ..idempotency import idempotent
from ..schema import IDEMPOTENCY_HEADER
from ..selectors import deliveries_of, webhooks_of
from ..serializers.webhooks import (
    WebhookCreatedSerializer,
    WebhookDeliverySerializer,
    WebhookInputSerializer,
    WebhookSerializer,
    WebhookUpdateSerializer,
)
from ..services.webhooks import create_webhook, delete_webhook, update_webhook
from .base import ChamberViewMixin


@extend_schema_view(
    list=extend_schema(summary="Webhook endpoints of the chamber"),
    retrieve=extend_schema(summary="One webhook endpoint"),
)
class WebhookViewSet(
    ChamberViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = WebhookSerializer
    required_scopes = {"*": ("webhooks:manage",)}
    filtersets = {"list": UpdatedFilter, "deliveries": UpdatedFilter}

    def get_queryset(self):
        return webhooks_of(self.chamber)

    @extend_schema(
        request=WebhookInputSerializer,
        responses={201: WebhookCreatedSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        summary="Register a webhook endpoint; the signing secret is in this response only",
    )
    @idempotent
    def create(self, request):
        data = WebhookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint, secret = create_webhook(chamber=self.chamber, **data.validated_data)
        body = WebhookSerializer(endpoint).data
        body["secret"] = secret
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=WebhookUpdateSerializer,
        responses={200: WebhookSerializer},
        summary="Change a webhook",
    )
    def partial_update(self, request, pk=None):
        endpoint = self.get_object()
        data = WebhookUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = update_webhook(endpoint=endpoint, **data.validated_data)
        return Response(WebhookSerializer(endpoint).data)

    @extend_schema(responses={204: None}, summary="Remove a webhook endpoint")
    def destroy(self, request, pk=None):
        delete_webhook(endpoint=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={200: WebhookDeliverySerializer(many=True)},
        summary="Delivery log of this endpoint, with every attempt",
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        qs = self.filter_queryset(deliveries_of(self.get_object()))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)
