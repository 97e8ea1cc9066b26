from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from people.models import TraineeProfile

from .fields import StrictInputSerializer


class TraineeSerializer(serializers.ModelSerializer):
    first_name = serializers.CharField(source="user.first_name")
    last_name = serializers.CharField(source="user.last_name")
    email = serializers.SerializerMethodField()
    date_of_birth = serializers.DateField(source="user.date_of_birth", allow_null=True)
    business = serializers.IntegerField(source="business_id", allow_null=True)
    business_member_number = serializers.CharField(
        source="business.member_number", allow_null=True, default=None
    )

    class Meta:
        model = TraineeProfile
        fields = [
            "id", "lehrlingsrolle_number", "kind", "first_name", "last_name", "email",
            "date_of_birth", "business", "business_member_number", "occupation",
            "occupation_code", "apprenticeship_start", "created_at", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.EMAIL)
    def get_email(self, obj) -> str | None:
        # Placeholder addresses of accounts created through the API are not real addresses.
        email = obj.user.email
        return None if email.endswith("@lehrlingsrolle.invalid") else email


class TraineeInputSerializer(StrictInputSerializer):
    # The fields of api.services.trainees.upsert_trainee (`business` by member number); one not
    # sent stays unchanged.

    lehrlingsrolle_number = serializers.RegexField(
        r"^[A-Za-z0-9][A-Za-z0-9./-]{0,31}$", max_length=32,
        help_text="The natural key: the apprentice's number in the chamber's Lehrlingsrolle.",
    )  # fmt: skip
    business = serializers.CharField(
        max_length=32,
        help_text="Member number of the employing business (a member of this chamber).",
    )
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(
        required=False,
        allow_blank=True,
        help_text=(
            "Used for a new apprentice's login. Never changes the login of an account someone "
            "uses: for an existing trainee it is ignored (the response shows the account's own "
            "address); for a new number whose address already has an account, the answer is "
            "202 and the account's owner confirms the record first."
        ),
    )
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    occupation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    occupation_code = serializers.CharField(
        max_length=16, required=False, allow_blank=True,
        help_text="The chamber's code of the occupation (for the ÜLU report).",
    )  # fmt: skip
    apprenticeship_start = serializers.DateField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=TraineeProfile.Kind.choices, required=False)


class TraineeLinkPendingSerializer(serializers.Serializer):
    """202: the address belongs to an existing account, whose owner must confirm this record."""

    status = serializers.SerializerMethodField(
        help_text="Always `pending_confirmation`: the owner was e-mailed at the account's address."
    )
    lehrlingsrolle_number = serializers.CharField()
    business_member_number = serializers.CharField(source="business.member_number")
    created_at = serializers.DateTimeField()

    def get_status(self, obj) -> str:
        return "pending_confirmation"
