"""The base of every request body serializer of the API."""

from rest_framework import serializers

from core.validators import plausible_date, single_line


def is_multi_line(field: serializers.Field) -> bool:
    return field.style.get("base_template") == "textarea.html"


def harden(fields) -> None:
    """The input rules every request field of a kind shares, as core.forms.harden does for web
    forms: one-line text refuses line breaks and control characters, dates lie in plausible
    years; numbers declare their own range (tests/house checks each has a maximum)."""
    for field in fields.values():
        if field.read_only:
            continue
        wanted = []
        if isinstance(field, serializers.CharField) and not is_multi_line(field):
            wanted.append(single_line)
        if isinstance(field, serializers.DateField | serializers.DateTimeField):
            wanted.append(plausible_date)
        field.validators.extend(v for v in wanted if v not in field.validators)
        if isinstance(field, serializers.Serializer):
            harden(field.fields)
        child = getattr(field, "child", None)
        if isinstance(child, serializers.Serializer):
            harden(child.fields)
        elif child is not None:
            harden({"child": child})


class InputSerializer(serializers.Serializer):
    # The base of every request body; its fields take on the shared input rules (harden).

    def get_fields(self):
        fields = super().get_fields()
        harden(fields)
        return fields
