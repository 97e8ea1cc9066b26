"""The OpenAPI schema, its Swagger UI and ReDoc pages, and the problem-details 404 for any other
path under /api/v1/: open to anyone."""

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from ..problems import exception_handler


class SchemaView(SpectacularAPIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


@extend_schema(exclude=True)
class ApiNotFoundView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_exception_handler(self):
        return exception_handler

    def _missing(self, request, *args, **kwargs):
        raise NotFound()

    get = post = put = patch = delete = head = options = _missing


class DocsView(SpectacularSwaggerView):
    """Swagger UI, its assets served from our static files (drf-spectacular-sidecar), no CDN."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


class RedocView(SpectacularRedocView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
