"""The chamber API's REST framework and OpenAPI settings, imported by config/settings.py."""

import os

__all__ = [
    "API_THROTTLE_RATE",
    "REST_FRAMEWORK",
    "SPECTACULAR_SETTINGS",
    "WEBHOOK_SECRET_ROTATION_HOURS",
]

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's parsers with limits: depth, size, NUL and non-finite numbers are a 400 problem.
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "api.parsers.FormParser",
        "api.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lernwerkstatt 4.0 API",
    "DESCRIPTION": "Sync API for chambers (Handwerkskammer, IHK).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.blank_strings_any_of",
    ],
}
# Errors as problem details, requests throttled per API key.
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "api.problems.exception_handler"
SPECTACULAR_SETTINGS.update(
    {
        "SWAGGER_UI_DIST": "SIDECAR",
        "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
        "REDOC_DIST": "SIDECAR",
        "SCHEMA_PATH_PREFIX": r"/api/v1",
        "ENUM_NAME_OVERRIDES": {
            "EnrolmentStatusEnum": "courses.models.Enrolment.Status",
            "RunStatusEnum": "courses.models.CourseRun.Status",
        },
    }
)
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "1200/min")
# After a webhook secret is rotated, the previous one keeps signing (a second signature) this long.
WEBHOOK_SECRET_ROTATION_HOURS = int(os.environ.get("WEBHOOK_SECRET_ROTATION_HOURS", "24"))
