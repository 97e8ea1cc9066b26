from collections import defaultdict

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


class RunListSerializer(serializers.ListSerializer):
    """A page of runs (up to 1,000) as plain dicts, the same keys and values RunSerializer's
    fields give (tests/api/test_runs.py compares them): DRF's per-field machinery and Django's
    per-run prefetch querysets cost more than the queries. The sessions of the whole page come in
    one query here (the list's queryset has no prefetch)."""

    def to_representation(self, data):
        runs = list(data.all() if isinstance(data, models.manager.BaseManager) else data)
        tz = timezone.get_current_timezone()
        sessions = defaultdict(list)
        rows = (
            Session.objects.filter(run_id__in=[r.pk for r in runs])
            .order_by("start", "id")
            .values_list("run_id", "id", "uid", "start", "end", "status")
        )
        for run_id, pk, uid, start, end, status in rows if runs else ():
            sessions[run_id].append(
                {
                    "id": pk,
                    "uid": str(uid),
                    "start": iso(start, tz=tz),
                    "end": iso(end, tz=tz),
                    "status": status,
                }
            )
        price = self.child.fields["price_business"].to_representation
        out = []
        for r in runs:
            school, workshop = r.school, r.workshop
            out.append(
                {
                    "id": r.id,
                    "course": r.course_id,
                    "course_title": r.course.title,
                    "title_suffix": r.title_suffix,
                    "school": {
                        "id": school.id,
                        "code": school.code,
                        "name": school.name,
                        "city": school.city,
                    },
                    "workshop": workshop.name if workshop is not None else None,
                    "status": r.status,
                    "capacity": r.capacity,
                    "seats": r.seats,
                    "seats_left": r.seats_left,
                    "waitlist_length": r.waitlist_length,
                    "min_participants": r.min_participants,
                    "booking_opens_at": iso(r.booking_opens_at, tz=tz),
                    "booking_closes_at": iso(r.booking_closes_at, tz=tz),
                    "cancellation_deadline": iso(r.cancellation_deadline, tz=tz),
                    "price_business": price(r.price_business),
                    "requires_employer_approval": r.requires_employer_approval,
                    "starts_at": iso(r.starts_at, tz=tz),
                    "ends_at": iso(r.ends_at, tz=tz),
                    "cancelled_at": iso(r.cancelled_at, tz=tz),
                    "cancel_reason": r.cancel_reason,
                    "sessions": sessions[r.id],
                    "created_at": iso(r.created_at, tz=tz),
                    "updated_at": iso(r.updated_at, tz=tz),
                }
            )
        return out


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
        list_serializer_class = RunListSerializer
