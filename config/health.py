"""Liveness and readiness for load balancers and orchestrators."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse


def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        return str(exc) or exc.__class__.__name__
    return None


def _check_broker() -> str | None:
    if not settings.CELERY_BROKER_URL:
        return None
    try:
        import redis

        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # unreachable broker means "not ready"
        return str(exc) or exc.__class__.__name__
    return None


def _check_worker() -> str | None:
    """With a broker, some worker must have run beat's heartbeat lately. Never run yet (a fresh
    installation, the first half minute) counts as fine; an old one means the workers (or beat)
    stopped, which a restart policy alone would not show."""
    max_age = getattr(settings, "WORKER_HEARTBEAT_MAX_AGE", 0)
    if not settings.CELERY_BROKER_URL or not max_age:
        return None
    from core.services.heartbeat import heartbeat_age

    try:
        age = heartbeat_age()
    except Exception as exc:  # the database check reports this one
        return str(exc) or exc.__class__.__name__
    if age is not None and age.total_seconds() > max_age:
        return f"last worker heartbeat {int(age.total_seconds())} s ago"
    return None


def readyz(request):
    checks = {
        "database": _check_database(),
        "broker": _check_broker(),
        "worker": _check_worker(),
    }
    failed = {name: error for name, error in checks.items() if error}
    body = {
        "status": "unavailable" if failed else "ok",
        "checks": {name: "failed" if err else "ok" for name, err in checks.items()},
    }
    if not settings.CELERY_BROKER_URL:
        body["checks"]["broker"] = "not configured"  # eager tasks: nothing to reach
        body["checks"]["worker"] = "not configured"
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=503 if failed else 200)
