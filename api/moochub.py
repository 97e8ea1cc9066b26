"""The public catalogue as a MOOChub v3 feed (JSON:API), so course portals can list our courses.
No key needed: it shows only what the public catalogue shows."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import Course, CourseRun

from .problems import exception_handler
from .schema import ApiAutoSchema

LEVELS = {"beginner": "Beginner", "intermediate": "Intermediate", "advanced": "Advanced"}
PAGE_SIZE = 50


class JsonApiRenderer(JSONRenderer):
    media_type = "application/vnd.api+json"


def _duration(hours: Decimal) -> str:
    """ISO 8601 duration of the teaching time, e.g. PT16H or PT7H30M."""
    minutes = int(hours * 60)
    h, m = divmod(minutes, 60)
    return f"PT{h}H{m}M" if m else f"PT{h}H"


def _course(course: Course, runs: list[CourseRun]) -> dict:
    url = f"{settings.SITE_URL}/runs/{runs[0].pk}/" if runs else settings.SITE_URL + "/"
    school = course.school
    publisher = {
        "name": school.name,
        "type": "Organization",
        "url": settings.SITE_URL + "/",
    }
    return {
        "type": "Course",
        "id": f"lernwerkstatt-course-{course.pk}",
        "attributes": {
            "name": course.title,
            "courseCode": f"{school.code}-{course.pk}",
            "courseMode": ["onsite"],
            "abstract": course.summary or None,
            "description": course.description,
            "learningObjectives": course.learning_outcome_list,
            "url": url,
            "languages": ["de"],
            "startDate": [timezone.localtime(r.starts_at).isoformat() for r in runs if r.starts_at],
            "endDate": [timezone.localtime(r.ends_at).isoformat() for r in runs if r.ends_at],
            "duration": _duration(course.hours),
            "workload": {"timeValue": float(course.hours), "timeUnit": "h"},
            "educationalLevel": [
                {"name": LEVELS.get(course.level, course.level), "shortCode": course.level}
            ],
            "keywords": [course.topic.name],
            "location": [
                {
                    "type": "Place",
                    "name": school.name,
                    "address": " ".join(
                        p for p in (school.street, school.postal_code, school.city) if p
                    ),
                }
            ],
            "publisher": publisher,
            "provider": publisher,
            "access": ["paid"] if any(r.price_business > 0 for r in runs) else ["free"],
            "prerequisites": [course.prerequisites] if course.prerequisites else [],
            "dateModified": timezone.localtime(course.updated_at).isoformat(),
        },
    }


class MoochubCoursesView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JsonApiRenderer, JSONRenderer]
    throttle_classes: list = []
    schema = ApiAutoSchema()

    def get_exception_handler(self):
        return exception_handler

    @extend_schema(
        summary="Public catalogue as a MOOChub v3 feed (JSON:API)",
        auth=[],
        parameters=[OpenApiParameter("page", OpenApiTypes.INT, description="Page number, from 1.")],
        responses={(200, "application/vnd.api+json"): OpenApiTypes.OBJECT},
    )
    def get(self, request):
        raw = request.query_params.get("page", "1")
        if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
            raise ValidationError({"page": ["Eine Seitenzahl ab 1 erwarten."]})
        page = int(raw)
        now = timezone.now()
        bookable = CourseRun.objects.filter(
            status=CourseRun.Status.PUBLISHED, booking_closes_at__gt=now
        ).order_by("starts_at", "id")
        courses = (
            Course.objects.filter(is_active=True, runs__in=bookable)
            .distinct()
            .select_related("school", "topic")
            .prefetch_related(Prefetch("runs", queryset=bookable, to_attr="open_runs"))
            .order_by("id")
        )
        total = courses.count()
        chunk = list(courses[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
        base = request.build_absolute_uri(request.path)
        last = max(1, -(-total // PAGE_SIZE))
        links = {
            "self": f"{base}?page={page}",
            "first": f"{base}?page=1",
            "last": f"{base}?page={last}",
        }
        if page < last:
            links["next"] = f"{base}?page={page + 1}"
        if page > 1:
            links["prev"] = f"{base}?page={page - 1}"
        return Response(
            {
                "links": links,
                "data": [_course(c, c.open_runs) for c in chunk],
                "meta": {"total": total, "generated": dt.datetime.now(dt.UTC).isoformat()},
            }
        )
