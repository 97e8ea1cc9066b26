"""OpenAPI: the bearer scheme, problem-details responses on every operation, shared parameters
(the list parameters are described by their filters, see api.filters)."""

import re

from django.core.validators import RegexValidator, URLValidator
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from core.validators import plausible_date

from .idempotency import IDEMPOTENCY_KEY_PATTERN
from .problems import PROBLEM_CONTENT_TYPE
from .serializers.fields import StrictInputSerializer

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": 200, "pattern": IDEMPOTENCY_KEY_PATTERN},
    location=OpenApiParameter.HEADER,
    description="Repeat a POST safely: the same key with the same body replays the first response "
    "and creates nothing; with another body the answer is 422.",
)

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `errors` names the fields at fault.",
    "401": "Missing, unknown, expired or revoked API key.",
    "403": "The API key lacks the scope this operation needs.",
    "404": "Not found, or not visible to this chamber.",
    "406": "The Accept header asks for a version of the format this server does not offer.",
    "409": "Conflict with the current state (e.g. already booked, run full or closed).",
    "422": "Well-formed but not processable (unknown run or trainee, a booking rule, "
    "a reused Idempotency-Key, a cursor this server did not issue).",
    "429": "Too many requests for this key; see the Retry-After header.",
}


class BearerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "chamberKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "lw_<prefix>.<secret>",
            "description": "API key of a chamber, created by the district admin "
            "(`manage.py create_api_key`). Scopes: courses:read, enrolments:read, "
            "enrolments:write, "
            "certificates:read, businesses:write, webhooks:manage.",
        }


# What core.validators.plausible_date admits, as a pattern on the date's text: the years
# MIN_YEAR..MAX_YEAR (1900-2100), so data valid by the schema is data the server accepts.
PLAUSIBLE_YEAR = r"(19[0-9]{2}|20[0-9]{2}|2100)"
DATE_PATTERN = rf"^{PLAUSIBLE_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
DATE_TIME_PATTERN = (
    rf"^{PLAUSIBLE_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3])"
    r":[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)


class ApiAutoSchema(AutoSchema):
    """Adds the problem-details error responses each operation can give, and the input rules
    the serializers enforce that drf-spectacular cannot read from their validators."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        result = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and plausible_date in getattr(field, "validators", ()):
            pattern = {"date": DATE_PATTERN, "date-time": DATE_TIME_PATTERN}.get(
                result.get("format")
            )
            if pattern:
                result["pattern"] = pattern
        return result

    def _insert_field_validators(self, field, schema):
        """drf-spectacular prints the first pattern of a field only; a field with two (its own
        and the one-line rule) must say both, the others under `allOf`."""
        super()._insert_field_validators(field, schema)
        if schema.get("type") != "string" or "pattern" not in schema:
            return
        more = [
            _ecma(v.regex.pattern)
            for v in field.validators
            # A URL's regex is half of URLValidator's rule and case-insensitive: `format: uri`
            # says it; ECMA patterns carry no flags.
            if isinstance(v, RegexValidator)
            and not isinstance(v, URLValidator)
            and not v.inverse_match
            and not v.regex.flags & re.IGNORECASE
        ]
        more = [p for p in dict.fromkeys(more) if p != schema["pattern"]]
        if more:
            schema.setdefault("allOf", []).extend({"pattern": p} for p in more)

    def _map_basic_serializer(self, serializer, direction):
        result = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(serializer, StrictInputSerializer):
            result["additionalProperties"] = False
        return result

    def _error_codes(self) -> list[str]:
        if not any(
            getattr(a, "__name__", type(a).__name__) == "ApiKeyAuthentication"
            or type(a).__name__ == "ApiKeyAuthentication"
            for a in self.view.get_authenticators()
        ):
            return ["400", "404", *getattr(self.view, "extra_error_codes", [])]
        codes = ["400", "401", "403", "404", "429"]
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes += ["409", "422"]
        elif self._is_list_view() and getattr(self.view, "pagination_class", None) is not None:
            codes.append("422")  # a cursor of the right form that this server did not issue
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    _problem_serializer(),
                    code,
                    media_types=[PROBLEM_CONTENT_TYPE],
                    direction=direction,
                )
                responses[code]["description"] = ERROR_DESCRIPTIONS[code]
        return responses


def _ecma(pattern: str) -> str:
    """A Python pattern as drf-spectacular spells it in the schema (\\u escapes, ECMA anchors)."""
    pattern = pattern.encode("ascii", "backslashreplace").decode().replace(r"\x", r"\u00")
    return pattern.replace(r"\Z", "$").replace(r"\A", "^")


def _problem_serializer():
    from .serializers.problems import ProblemSerializer

    return ProblemSerializer


_EMPTY_STRING = {"type": "string", "maxLength": 0}


def blank_strings_any_of(result, generator, request, public):
    """drf-spectacular writes a text field that may be blank as `oneOf: [<the field>, <empty
    string>]`. Once the field has a pattern that the empty string also matches (the one-line
    rule), "" satisfies both branches and `oneOf` rejects our own answers: `anyOf` says what is
    meant. A postprocessing hook, applied to the whole document."""

    def walk(node):
        if isinstance(node, dict):
            branches = node.get("oneOf")
            if isinstance(branches, list) and _EMPTY_STRING in branches:
                node["anyOf"] = node.pop("oneOf")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
