"""Structured logs for production: one JSON object per line, each carrying the request id.

Log shippers (journald, Loki, CloudWatch, ELK) parse one JSON object per line without a grok
pattern, and the request id ties together every line a request wrote."""

import contextvars
import json
import logging
import traceback
from datetime import UTC, datetime

# Set by config.middleware.RequestIdMiddleware for the duration of a request; contextvars (not a
# thread-local) so that the value is right under threads, gevent and async views alike.
request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)

# Attributes every LogRecord has; anything else was passed through `extra=` and belongs in the line.
_STANDARD_ATTRS = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys()
    | {"message", "asctime", "request_id", "taskName"}
)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record, whichever logger wrote it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            # django.request logs some 4xx lines after the middleware has returned; the request
            # it passes in `extra` still carries the id.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        for key, value in record.__dict__.items():
            if key == "request":
                # The request itself is not JSON; its method and path are what a reader needs.
                entry["method"] = getattr(value, "method", None)
                entry["path"] = getattr(value, "path", None)
            elif key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = "".join(traceback.format_exception(*record.exc_info))
        # default=str: a stray object in `extra=` (a model, a request) must not lose the line.
        return json.dumps(entry, ensure_ascii=False, default=str)


def build_logging(*, level: str = "INFO", json_logs: bool = True) -> dict:
    """The LOGGING dict for settings: JSON lines in production, plain text on a laptop."""
    formatter = "json" if json_logs else "plain"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.logging.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "config.logging.JsonFormatter"},
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": formatter,
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own request logger writes 4xx/5xx lines; keep them, no duplicates via root.
            "django": {"handlers": ["console"], "level": level, "propagate": False},
        },
    }


def connect_celery_request_id() -> None:
    """Carry the request id from the request that enqueued a task into the task's log lines:
    the publisher puts it in the message headers, the worker sets it while the task runs."""
    from celery import signals

    @signals.before_task_publish.connect(weak=False)
    def _add_request_id(headers=None, **kwargs):
        request_id = request_id_var.get()
        if request_id and headers is not None:
            headers.setdefault("request_id", request_id)

    @signals.task_prerun.connect(weak=False)
    def _set_request_id(task=None, **kwargs):
        request = getattr(task, "request", None)
        request_id = getattr(request, "request_id", None) if request else None
        request_id_var.set(request_id)

    @signals.task_postrun.connect(weak=False)
    def _clear_request_id(**kwargs):
        request_id_var.set(None)
