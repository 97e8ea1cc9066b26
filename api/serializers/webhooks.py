from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import EVENTS, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .fields import StrictBooleanField, StrictInputSerializer


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENTS))

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "is_active", "created_at", "updated_at"]


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(
        allow_null=True,
        help_text="Signing secret, shown only in this response: keep it to verify signatures. "
        "null in a replay of the response (the same Idempotency-Key), which never stores it.",
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


# What the server takes as a target (api.services.webhooks checks the rest: a public host).
WEBHOOK_URL_PATTERN = r"^https?://[^\s/?#]+([/?#]\S*)?$"


@extend_schema_field(
    {"type": "string", "format": "uri", "maxLength": 500, "pattern": WEBHOOK_URL_PATTERN}
)
class WebhookUrlField(serializers.RegexField):
    def __init__(self, **kwargs):
        super().__init__(WEBHOOK_URL_PATTERN, max_length=500, **kwargs)


class WebhookInputSerializer(StrictInputSerializer):
    url = WebhookUrlField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENTS), min_length=1)


class WebhookUpdateSerializer(StrictInputSerializer):
    url = WebhookUrlField(required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENTS), min_length=1, required=False
    )
    is_active = StrictBooleanField(required=False)


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["at", "status_code", "error", "duration_ms"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    event_id = serializers.UUIDField(source="event.event_id")
    event_type = serializers.CharField(source="event.type")
    attempt_log = WebhookAttemptSerializer(many=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "event_id", "event_type", "status", "attempts", "next_attempt_at",
            "delivered_at", "attempt_log", "created_at", "updated_at",
        ]  # fmt: skip
