"""/moochub/courses/: the public catalogue as a MOOChub v3 feed (JSON:API), so course portals can
list our courses: one record per bookable run. No key needed: it shows only what the public
catalogue shows. The media type names the MOOChub version (moochub-versioning.md); a client that
asks for another major version gets 406."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotAcceptable, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.formatting import iso
from core.validators import parse_id

from ..problems import exception_handler
from ..schema import ApiAutoSchema
from ..selectors import moochub_runs
from ..serializers.moochub import MEDIA_TYPE, MOOCHUB_VERSION, run_resource

PAGE_SIZE = 50


class JsonApiRenderer(JSONRenderer):
    media_type = MEDIA_TYPE


def asked_major_versions(accept: str) -> set[str]:
    """The moochub-version majors an Accept header names (empty: any)."""
    majors = set()
    for part in accept.split(","):
        for param in part.split(";")[1:]:
            key, _sep, value = param.partition("=")
            if key.strip().lower() == "moochub-version":
                majors.add(value.strip().strip('"').split(".")[0])
    return majors


class MoochubCoursesView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JsonApiRenderer, JSONRenderer]
    throttle_classes: list = []
    schema = ApiAutoSchema()
    extra_error_codes = ["406"]  # another moochub-version asked for

    def get_exception_handler(self):
        return exception_handler

    @extend_schema(
        summary="Public catalogue as a MOOChub v3 feed (JSON:API)",
        auth=[],
        parameters=[
            OpenApiParameter(
                "page",
                {"type": "integer", "minimum": 1, "maximum": 100_000},
                description="Page number, from 1.",
            )
        ],
        responses={(200, f"{MEDIA_TYPE}; moochub-version={MOOCHUB_VERSION}"): OpenApiTypes.OBJECT},
    )
    def get(self, request):
        majors = asked_major_versions(request.headers.get("Accept", ""))
        if majors and MOOCHUB_VERSION.split(".")[0] not in majors:
            raise NotAcceptable(f"Nur moochub-version={MOOCHUB_VERSION} wird angeboten.")
        page = parse_id(request.query_params.get("page", "1"))
        if page is None or not 1 <= page <= 100_000:
            raise ValidationError({"page": ["Eine Seitenzahl ab 1 erwarten."]})
        runs = moochub_runs(now=timezone.now())
        total = runs.count()
        chunk = list(runs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
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
                "data": [run_resource(r) for r in chunk],
                "meta": {"total": total, "generated": iso(timezone.now())},
            }
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200 and isinstance(
            getattr(response, "accepted_renderer", None), JsonApiRenderer
        ):
            response.content_type = f"{MEDIA_TYPE}; moochub-version={MOOCHUB_VERSION}"
        return response
