"""/webhooks/: the chamber's webhook endpoints, their delivery log, secret rotation and manual
redelivery."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
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
from ..services.deliveries import redeliver as redeliver_delivery
from ..services.webhooks import (
    create_webhook,
    delete_webhook,
    rotate_webhook_secret,
    update_webhook,
)
from .base import ID, ChamberViewMixin

DELIVERY_ID = OpenApiParameter(
    "delivery_id",
    {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999},
    OpenApiParameter.PATH,
    description="Id of a delivery in this endpoint's delivery log.",
)


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
        description=(
            "Deliveries are signed as Standard Webhooks specifies: the headers `webhook-id` "
            "(the event id, the same on every retry), `webhook-timestamp` (Unix seconds) and "
            "`webhook-signature`, a space-separated list of `v1,<base64>` signatures, each the "
            "HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>` keyed with the base64 "
            "part of the `whsec_` secret. Verify with any Standard Webhooks library, e.g. "
            "`Webhook(secret).verify(body, headers)`: accept the delivery if one signature "
            "matches and the timestamp is within five minutes."
        ),
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

    @extend_schema(
        request=None,
        responses={200: WebhookCreatedSerializer},
        summary="Rotate the signing secret; the new secret is in this response only",
        description=(
            "The previous secret keeps signing beside the new one (two `v1,` signatures in "
            "`webhook-signature`) for the grace period the server is configured with (24 hours "
            "by default), so a receiver can switch without losing a delivery."
        ),
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint, secret = rotate_webhook_secret(endpoint=self.get_object())
        body = WebhookSerializer(endpoint).data
        body["secret"] = secret
        return Response(body)

    @extend_schema(
        request=None,
        parameters=[DELIVERY_ID],
        responses={202: WebhookDeliverySerializer},
        summary="Send a logged delivery again now (same webhook-id, fresh signature)",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=rf"deliveries/(?P<delivery_id>{ID})/redeliver",
        filter_backends=[],
    )
    def redeliver(self, request, pk=None, delivery_id=None):
        delivery = get_object_or_404(deliveries_of(self.get_object()), pk=delivery_id)
        redeliver_delivery(delivery=delivery)
        delivery = get_object_or_404(deliveries_of(self.get_object()), pk=delivery_id)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
