import datetime as dt
from collections.abc import Iterable

from django.db.models import TextField
from django.db.models.functions import Cast
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
        return enrolment_rows([tuple(getattr(e, name) for name in ROW_FIELDS)])[0]


# One enrolment as the list reads it (api.selectors.enrolments_of's fields and annotations), in
# the order enrolment_rows takes them; id first and updated_at last (the page's position).
ROW_FIELDS = (
    "id", "run_id", "trainee_id", "trainee_number", "participant_name", "business_id",
    "business_member_number", "status", "source", "waitlist_position", "confirmed_at",
    "cancelled_at", "cancel_reason", "completed_at", "created_at", "updated_at",
)  # fmt: skip
# The same as values_list arguments, the timestamps read as text: Django's loader of a PostgreSQL
# timestamp is Python (about 8 µs a value, most of a page's time); datetime.fromisoformat is C.
ROW_COLUMNS = tuple(
    Cast(name, TextField()) if name.endswith("_at") else name for name in ROW_FIELDS
)


def timestamp_from_text(text: str | None) -> dt.datetime | None:
    """A timestamp column cast to text: ISO 8601 in the session's zone on PostgreSQL (Django
    sets UTC), naive UTC on SQLite."""
    if text is None:
        return None
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def enrolment_rows(values: Iterable[tuple], *, as_text: bool = False) -> list[dict]:
    """EnrolmentSerializer's output for ROW_FIELDS tuples (ROW_COLUMNS ones: `as_text`).
    Hand-written: a sync pulls pages of 1000 enrolments, and DRF's field-by-field path costs
    about half a millisecond a row (model instances too cost more than the rest). Same fields
    and formats as declared above (tests/api/test_enrolments.py compares both)."""
    tz = timezone.get_current_timezone()  # once, not once a field: it is not free

    def when(value):
        if as_text:
            value = timestamp_from_text(value)
        return iso(value, tz=tz)

    return [
        {
            "id": pk,
            "run": run,
            "trainee": trainee,
            "lehrlingsrolle_number": number,
            "participant_name": name,
            "business": business,
            "business_member_number": member_number,
            "status": status,
            "source": source,
            "waitlist_position": position,
            "confirmed_at": when(confirmed),
            "cancelled_at": when(cancelled),
            "cancel_reason": reason,
            "completed_at": when(completed),
            "created_at": when(created),
            "updated_at": when(updated),
        }
        for (
            pk,
            run,
            trainee,
            number,
            name,
            business,
            member_number,
            status,
            source,
            position,
            confirmed,
            cancelled,
            reason,
            completed,
            created,
            updated,
        ) in values  # fmt: skip
    ]


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
