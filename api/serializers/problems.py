"""The error body of every operation (see api.problems), for the schema."""

from rest_framework import serializers


class ProblemErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True, help_text="The input field at fault (dotted path)."
    )
    message = serializers.CharField()
    code = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField(
        help_text="URI naming the kind of problem, e.g. urn:lernwerkstatt:problem:not_found"
    )
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = ProblemErrorSerializer(many=True)
    instance = serializers.CharField(required=False)
    retry_after = serializers.IntegerField(required=False)
