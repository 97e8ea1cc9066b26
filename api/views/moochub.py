"""/moochub/courses/: the public catalogue as a MOOChub v3 feed (JSON:API), so course portals can
list our courses. No key needed: it shows only what the public catalogue shows."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.formatting import iso

from ..problems import exception_handler
from ..schema import ApiAutoSchema
from ..selectors import moochub_courses
from ..serializers.moochub import course_resource

PAGE_SIZE = 50


class JsonApiRenderer(JSONRenderer):
    media_type = "application/vnd.api+json"


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
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 100_000:
            raise ValidationError({"page": ["Eine Seitenzahl ab 1 erwarten."]})
        page = int(raw)
        courses = moochub_courses(now=timezone.now())
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
                "data": [course_resource(c, c.open_runs) for c in chunk],
                "meta": {"total": total, "generated": iso(timezone.now())},
            }
        )
