"""Explicit output and input serializers: the wire format is a contract, not a mirror of models."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certificates.models import Certificate
from courses.models import Attendance, Course, CourseRun, Enrolment, Session
from people.models import Business, TraineeProfile

from .models import EVENTS, WebhookAttempt, WebhookDelivery, WebhookEndpoint


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


# --- catalogue ------------------------------------------------------------------------------


class SchoolRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    city = serializers.CharField()


class CourseSerializer(serializers.ModelSerializer):
    topic = serializers.CharField(source="topic.name")
    school = SchoolRefSerializer()
    learning_outcomes = serializers.ListField(
        child=serializers.CharField(), source="learning_outcome_list"
    )
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False)

    class Meta:
        model = Course
        fields = [
            "id", "title", "summary", "description", "topic", "school", "level", "target_group",
            "hours", "learning_outcomes", "prerequisites", "attendance_threshold", "is_active",
            "created_at", "updated_at",
        ]  # fmt: skip


def _iso(value, tz) -> str | None:
    # Same output as DRF's DateTimeField (ISO 8601 in the current time zone, "Z" for UTC).
    if not value:
        return None
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class SessionListSerializer(serializers.ListSerializer):
    """The sessions nested in every run: up to 1,000 runs x their sessions per page. DRF's
    per-field machinery (attribute lookup, time-zone lookup per datetime) cost more than the
    query; this writes the same five keys directly, resolving the time zone once per list."""

    def to_representation(self, data):
        iterable = data.all() if isinstance(data, models.manager.BaseManager) else data
        tz = timezone.get_current_timezone()
        return [
            {
                "id": s.id,
                "uid": str(s.uid),
                "start": _iso(s.start, tz),
                "end": _iso(s.end, tz),
                "status": s.status,
            }
            for s in iterable
        ]


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "uid", "start", "end", "status"]
        list_serializer_class = SessionListSerializer


class RunSerializer(serializers.ModelSerializer):
    course_title = serializers.CharField(source="course.title")
    school = SchoolRefSerializer()
    workshop = serializers.CharField(source="workshop.name")
    seats = serializers.IntegerField(
        help_text="Seats the run offers (capacity, room and equipment)."
    )
    seats_left = serializers.IntegerField()
    waitlist_length = serializers.IntegerField()
    price_business = serializers.DecimalField(
        max_digits=8, decimal_places=2, coerce_to_string=False
    )
    sessions = SessionSerializer(many=True)

    class Meta:
        model = CourseRun
        fields = [
            "id", "course", "course_title", "title_suffix", "school", "workshop", "status",
            "capacity", "seats", "seats_left", "waitlist_length", "min_participants",
            "booking_opens_at", "booking_closes_at", "cancellation_deadline", "price_business",
            "requires_employer_approval", "starts_at", "ends_at", "cancelled_at", "cancel_reason",
            "sessions", "created_at", "updated_at",
        ]  # fmt: skip


# --- member businesses and trainees ---------------------------------------------------------


class BusinessSerializer(serializers.ModelSerializer):
    class Meta:
        model = Business
        fields = [
            "id", "member_number", "name", "street", "postal_code", "city", "email", "is_active",
            "created_at", "updated_at",
        ]  # fmt: skip


class BusinessInputSerializer(serializers.Serializer):
    member_number = serializers.CharField(
        max_length=32, required=False, help_text="Required on POST."
    )
    name = serializers.CharField(max_length=200)
    street = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=10, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


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
            "apprenticeship_start", "created_at", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.EMAIL)
    def get_email(self, obj) -> str | None:
        # Placeholder addresses of accounts created through the API are not real addresses.
        email = obj.user.email
        return None if email.endswith("@lehrlingsrolle.invalid") else email


class TraineeInputSerializer(serializers.Serializer):
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
    email = serializers.EmailField(required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    occupation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    apprenticeship_start = serializers.DateField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=TraineeProfile.Kind.choices, required=False)


# --- enrolments, attendance, certificates ---------------------------------------------------


def _iso(value, tz):
    """What DRF's DateTimeField prints (ISO 8601 in the current time zone, with offset)."""
    if value is None:
        return None
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class EnrolmentSerializer(serializers.ModelSerializer):
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
        # (tests/api/test_sync.py compares both).
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
            "confirmed_at": _iso(e.confirmed_at, tz),
            "cancelled_at": _iso(e.cancelled_at, tz),
            "cancel_reason": e.cancel_reason,
            "completed_at": _iso(e.completed_at, tz),
            "created_at": _iso(e.created_at, tz),
            "updated_at": _iso(e.updated_at, tz),
        }


class EnrolmentInputSerializer(serializers.Serializer):
    run = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    trainee = serializers.CharField(
        max_length=32,
        help_text="Lehrlingsrolle number of the apprentice, or the trainee id (digits).",
    )


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AttendanceSerializer(serializers.ModelSerializer):
    run = serializers.IntegerField(source="session.run_id")
    session_start = serializers.DateTimeField(source="session.start")
    session_end = serializers.DateTimeField(source="session.end")

    class Meta:
        model = Attendance
        fields = [
            "id", "enrolment", "session", "run", "session_start", "session_end", "status",
            "reason", "minutes", "method", "created_at", "updated_at",
        ]  # fmt: skip


class CertificateSerializer(serializers.ModelSerializer):
    verification_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    run = serializers.IntegerField(source="enrolment.run_id")

    class Meta:
        model = Certificate
        fields = [
            "id", "number", "enrolment", "run", "issued_at", "verification_code",
            "verification_url", "sha256", "pdf_url", "revoked_at", "revoked_reason",
            "replaced_by", "created_at", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_verification_url(self, obj) -> str:
        return f"{settings.SITE_URL}/verify/{obj.verification_code}/"

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf_url(self, obj) -> str | None:
        if not obj.pdf:
            return None
        path = reverse("api:certificate-pdf", kwargs={"pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


# --- webhooks and sync ----------------------------------------------------------------------


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENTS))

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "is_active", "created_at", "updated_at"]


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(
        help_text="Signing secret, shown only in this response: keep it to verify signatures."
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class WebhookInputSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENTS), min_length=1)


class WebhookUpdateSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENTS), min_length=1, required=False
    )
    is_active = serializers.BooleanField(required=False)


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


class TombstoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    resource = serializers.CharField(help_text="businesses or trainees")
    object_id = serializers.CharField(help_text="The id the object had.")
    deleted_at = serializers.DateTimeField()


# --- ÜLU report -----------------------------------------------------------------------------


class UeluDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    hours_planned = serializers.FloatField()
    hours_attended = serializers.FloatField()
    absence_reasons = serializers.ListField(child=serializers.CharField())


class UeluParticipantSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField()
    name = serializers.CharField()
    lehrlingsrolle_number = serializers.CharField(allow_null=True)
    occupation = serializers.CharField()
    business = serializers.CharField(allow_null=True)
    member_number = serializers.CharField(allow_null=True)
    chamber = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    days = UeluDaySerializer(many=True)
    hours_attended = serializers.FloatField()


class UeluReportSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    course = serializers.CharField()
    school = serializers.CharField()
    course_hours = serializers.FloatField()
    days = serializers.ListField(child=serializers.DateField())
    participants = UeluParticipantSerializer(many=True)
