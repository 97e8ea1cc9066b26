"""The OpenAPI schema, its Swagger UI and ReDoc pages, and the problem-details 404 for any other
path under /api/v1/: open to anyone."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
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


# The two documentation viewers (third-party code, no user content) style their elements inline
# and Redoc starts a web worker from a blob: the only pages whose policy allows that. Scripts stay
# our own origin only: Swagger UI's start script is loaded from a URL (the "split" view).
DOCS_CSP = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": ["'self'", "blob:"]})


@method_decorator(DOCS_CSP, name="dispatch")
class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, its assets served from our static files (drf-spectacular-sidecar), no CDN."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


@method_decorator(DOCS_CSP, name="dispatch")
class RedocView(SpectacularRedocView):
    """ReDoc from our static files; templates/drf_spectacular/redoc.html drops the web fonts."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
