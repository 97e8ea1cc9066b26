from rest_framework import serializers

from people.models import Business

from .fields import StrictBooleanField, StrictInputSerializer


class BusinessSerializer(serializers.ModelSerializer):
    class Meta:
        model = Business
        fields = [
            "id", "member_number", "name", "street", "postal_code", "city", "email", "is_active",
            "created_at", "updated_at",
        ]  # fmt: skip


class BusinessInputSerializer(StrictInputSerializer):
    # PUT: the fields of api.services.businesses.upsert_business; one not sent stays unchanged.
    # The member number is the one in the path. (Comments, not docstrings, on serializers: the
    # schema would print them.)

    name = serializers.CharField(max_length=200)
    street = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=10, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    is_active = StrictBooleanField(required=False)
    member_number = serializers.RegexField(
        r"\S",
        max_length=32,
        required=False,
        help_text="May repeat the member number in the path; one that differs is refused.",
    )


class BusinessCreateSerializer(BusinessInputSerializer):
    # POST: the same, with the member number in the body.
    member_number = serializers.RegexField(
        r"\S", max_length=32, help_text="The natural key: the business's member number."
    )
