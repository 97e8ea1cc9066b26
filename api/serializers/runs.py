from django.db import models
from django.utils import timezone
from rest_framework import serializers

from core.formatting import iso
from courses.models import CourseRun, Session

from .courses import SchoolRefSerializer


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
                "start": iso(s.start, tz=tz),
                "end": iso(s.end, tz=tz),
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
