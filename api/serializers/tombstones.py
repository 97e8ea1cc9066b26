from rest_framework import serializers


class TombstoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    resource = serializers.CharField(help_text="businesses or trainees")
    object_id = serializers.CharField(help_text="The id the object had.")
    deleted_at = serializers.DateTimeField()
