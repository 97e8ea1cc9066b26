"""Request body parsers of the API: DRF's, plus the limits that keep hostile bodies from
becoming server errors. A body deeper than API_MAX_JSON_DEPTH, larger than
DATA_UPLOAD_MAX_MEMORY_SIZE, or holding NUL (which PostgreSQL cannot store in text) or a
non-finite number is a 400 problem before any serializer sees it."""

import codecs
import json
import math

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = "Die Anfrage ist zu groß."


def _nul_error(path: str):
    return exceptions.ValidationError(
        {path or "": [_("Das Nullzeichen (NUL) ist hier nicht erlaubt.")]}, code="nul_character"
    )


def check_data(data, *, max_depth: int) -> None:
    """Walks the parsed value without recursion: the depth, NUL in keys and strings, and
    numbers no field can hold (NaN, infinity)."""
    stack = [(data, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if depth > max_depth:
            raise exceptions.ParseError(
                _("Die JSON-Daten sind zu tief verschachtelt (höchstens %(max)s Ebenen).")
                % {"max": max_depth}
            )
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                if "\x00" in str(key):
                    raise _nul_error(path)
                stack.append((item, child, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str) and "\x00" in value:
            raise _nul_error(path)
        elif isinstance(value, float) and not math.isfinite(value):
            raise exceptions.ParseError(_("Zahlen müssen endlich sein."))


def _check_form(data) -> None:
    for key, values in data.lists():
        if "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values):
            raise _nul_error(key.replace("\x00", ""))


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parsers.get_encoding(parser_context)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestTooLarge()
        try:
            text = codecs.decode(raw, encoding)
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError as exc:
            raise exceptions.ParseError(
                _("Die JSON-Daten sind zu tief verschachtelt (höchstens %(max)s Ebenen).")
                % {"max": settings.API_MAX_JSON_DEPTH}
            ) from exc
        except ValueError as exc:  # also UnicodeDecodeError and too many digits in a number
            raise exceptions.ParseError(_("Ungültiges JSON: %(error)s") % {"error": exc}) from exc
        check_data(data, max_depth=settings.API_MAX_JSON_DEPTH)
        return data


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _check_form(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _check_form(result.data)
        return result
