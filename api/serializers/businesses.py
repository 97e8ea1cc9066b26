from rest_framework import serializers

from people.models import Business

from .base import InputSerializer


class BusinessSerializer(serializers.ModelSerializer):
    class Meta:
        model = Business
        fields = [
            "id", "member_number", "name", "street", "postal_code", "city", "email", "is_active",
            "created_at", "updated_at",
        ]  # fmt: skip


class BusinessInputSerializer(InputSerializer):
    # The fields of api.services.businesses.upsert_business; one not sent stays unchanged.
    # (Comments, not docstrings, on serializers: the schema would print them.)

    member_number = serializers.CharField(
        max_length=32, required=False, help_text="Required on POST."
    )
    name = serializers.CharField(max_length=200)
    street = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=10, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
