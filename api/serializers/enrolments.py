from django.utils import timezone
from rest_framework import serializers

from core.formatting import iso
from courses.models import Enrolment

from .fields import StrictInputSerializer


class EnrolmentSerializer(serializers.ModelSerializer):
    # Reads the annotations of api.selectors.enrolments_of.

    trainee = serializers.IntegerField(source="trainee_id", allow_null=True, help_text="Trainee id")
    lehrlingsrolle_number = serializers.CharField(allow_null=True, source="trainee_number")
    business_member_number = serializers.CharField(allow_null=True)
    waitlist_position = serializers.IntegerField(allow_null=True)

    class Meta:
        model = Enrolment
        fields = [
            "id", "run", "trainee", "lehrlingsrolle_number", "participant_name", "business",
            "business_member_number", "status", "source", "waitlist_position", "confirmed_at",
            "cancelled_at", "cancel_reason", "completed_at", "created_at", "updated_at",
        ]  # fmt: skip

    def to_representation(self, e):
        # Hand-written: a sync pulls pages of 1000 enrolments, and DRF's field-by-field path
        # costs about half a millisecond a row. Same fields and formats as declared above
        # (tests/api/test_enrolments.py compares both).
        tz = timezone.get_current_timezone()  # once a row, not once a field: it is not free
        return {
            "id": e.pk,
            "run": e.run_id,
            "trainee": e.trainee_id,
            "lehrlingsrolle_number": e.trainee_number,
            "participant_name": e.participant_name,
            "business": e.business_id,
            "business_member_number": e.business_member_number,
            "status": e.status,
            "source": e.source,
            "waitlist_position": e.waitlist_position,
            "confirmed_at": iso(e.confirmed_at, tz=tz),
            "cancelled_at": iso(e.cancelled_at, tz=tz),
            "cancel_reason": e.cancel_reason,
            "completed_at": iso(e.completed_at, tz=tz),
            "created_at": iso(e.created_at, tz=tz),
            "updated_at": iso(e.updated_at, tz=tz),
        }


class EnrolmentInputSerializer(StrictInputSerializer):
    run = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    trainee = serializers.CharField(
        max_length=32,
        help_text="Lehrlingsrolle number of the apprentice, or the trainee id (digits).",
    )
    requirements_confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "The chamber confirms that the apprentice belongs to the course's target group and "
            "meets its prerequisites; required when the course names either "
            "(`requires_confirmation` on the course)."
        ),
    )


class CancelInputSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
