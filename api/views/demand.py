"""Demand for chambers: how many people currently want each course (active "notify me" interest),
and how many of them come from the chamber's member businesses. Counts only, never who."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets

from demand.selectors.interest import interest_per_course

from .base import ChamberViewMixin


class CourseInterestSerializer(serializers.Serializer):
    course = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    topic = serializers.CharField(source="topic.name")
    school = serializers.CharField(source="school.code")
    registrations = serializers.IntegerField(
        source="interest_entries", help_text="Active interest registrations."
    )
    people = serializers.IntegerField(
        source="interested_people",
        help_text="People they stand for (a business contact may register several).",
    )
    member_people = serializers.IntegerField(
        help_text="Of these, people from this chamber's member businesses."
    )


@extend_schema(summary="Interest per course: people waiting to be told of a new run")
class CourseInterestViewSet(ChamberViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = CourseInterestSerializer
    required_scopes = {"*": ("courses:read",)}
    pagination_class = None  # one row per course with interest: bounded by the catalogue

    def get_queryset(self):
        return interest_per_course(
            now=timezone.now(), chamber_id=self.chamber.pk if self.chamber else 0
        )

    def filter_queryset(self, queryset):
        return queryset  # counts of now: no updated_since
