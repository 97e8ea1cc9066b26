"""/courses/: the published catalogue."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from ..filters import UpdatedFilter
from ..selectors import published_courses
from ..serializers.courses import CourseSerializer
from .base import ChamberViewMixin


@extend_schema_view(
    list=extend_schema(summary="Courses of the published catalogue"),
    retrieve=extend_schema(summary="One course"),
)
class CourseViewSet(ChamberViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CourseSerializer
    required_scopes = {"*": ("courses:read",)}
    filtersets = {"list": UpdatedFilter}

    def get_queryset(self):
        return published_courses()
