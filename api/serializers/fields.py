"""Input fields that accept exactly what the OpenAPI schema says, nothing more lenient."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .base import InputSerializer


class StrictBooleanField(serializers.BooleanField):
    """A JSON true or false only: DRF's BooleanField also takes "yes", "1" or 0, which the
    schema (type boolean) does not allow, so a client relying on them would break on any other
    server implementing the same schema."""

    default_error_messages = {"invalid": _("true oder false erwartet.")}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        self.fail("invalid", input=data)


class StrictInputSerializer(InputSerializer):
    """An input serializer that takes each JSON type only where the schema names it: DRF turns
    12 into "12" for a text field and "12" into 12 for a number, which the OpenAPI schema (and
    every other implementation of it) forbids. A wrong type is a 400 naming the field. So is a
    property the body does not have (also a read-only one): the schema says
    `additionalProperties: false`, and a misspelt field is not silently dropped."""

    TEXT = (serializers.CharField, serializers.ChoiceField, serializers.DateField)
    NUMBER = (serializers.IntegerField, serializers.FloatField, serializers.DecimalField)

    def to_internal_value(self, data):
        errors = {}
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            for name in data:
                if name not in writable:
                    errors[name] = [_("Dieses Feld gibt es hier nicht.")]
            for name, field in self.fields.items():
                if field.read_only or name not in data or data[name] is None:
                    continue
                value = data[name]
                if isinstance(field, self.TEXT) and not isinstance(value, str):
                    errors[name] = [_("Text erwartet.")]
                elif isinstance(field, self.NUMBER) and (
                    isinstance(value, bool) or not isinstance(value, int | float)
                ):
                    errors[name] = [_("Eine Zahl erwartet.")]
                elif isinstance(field, serializers.ListField) and not isinstance(value, list):
                    errors[name] = [_("Eine Liste erwartet.")]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # The other fields' messages too, so the client fixes everything at once.
            raise serializers.ValidationError({**exc.detail, **errors}) from exc
        if errors:
            raise serializers.ValidationError(errors)
        return value
