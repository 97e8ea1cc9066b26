"""Settings for real operation: each production setting is proved in a fresh process with the
environment an operator would give (settings are read once, at import)."""

import io
import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config.logging import JsonFormatter, RequestIdFilter

ROOT = Path(__file__).resolve().parent.parent


def _production_env(tmp_path, **overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"TESTING", "DEBUG"}}
    for name in list(env):
        if name.startswith(("ANYMAIL_", "AWS_", "SENTRY_", "EMAIL_")) or name in {
            "S3_BUCKET",
            "LOG_JSON",
        }:
            env.pop(name)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="lernwerkstatt.example.de",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    )
    env.update(overrides)
    return env


def _in_production(tmp_path, code: str, **overrides) -> dict:
    """Run `code` after django.setup() in a new process; it must print one JSON object."""
    script = "import django, json, sys\ndjango.setup()\n" + code
    result = subprocess.run(  # noqa: S603 - the test's own code, no outside input
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_production_env(tmp_path, **overrides),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_production_env(tmp_path, SECRET_KEY=""),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_media_stays_on_disk_without_a_bucket(tmp_path):
    out = _in_production(
        tmp_path,
        "from django.core.files.storage import storages; s = storages['default']\n"
        "print(json.dumps({'cls': type(s).__name__, 'sentry': 'sentry_sdk' in sys.modules}))",
    )
    # Without SENTRY_DSN the optional sentry_sdk is never imported.
    assert out == {"cls": "FileSystemStorage", "sentry": False}


@pytest.mark.parametrize("variable", ["AWS_STORAGE_BUCKET_NAME", "S3_BUCKET"])
def test_media_goes_to_s3_compatible_storage_when_a_bucket_is_named(tmp_path, variable):
    out = _in_production(
        tmp_path,
        "from django.core.files.storage import storages; s = storages['default']\n"
        "print(json.dumps({'cls': type(s).__name__, 'url': s.url('certificates/2026/a.pdf')}))",
        **{
            variable: "lw-media",
            "AWS_S3_ENDPOINT_URL": "https://s3.example.de",
            "AWS_S3_REGION_NAME": "eu-central-1",
            "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "secret-example",
        },
    )
    assert out["cls"] == "S3Storage"
    # Certificates are private: the URL is signed and expires, and it points at the configured
    # endpoint and bucket under the media/ prefix.
    assert out["url"].startswith("https://s3.example.de/lw-media/media/certificates/2026/a.pdf?")
    assert "Signature" in out["url"] and "Expires=300" in out["url"]


def test_sentry_is_initialised_only_with_a_dsn(tmp_path):
    out = _in_production(
        tmp_path,
        "import sentry_sdk\n"
        "c = sentry_sdk.get_client()\n"
        "print(json.dumps({'active': c.is_active(), 'env': c.options['environment'],"
        " 'pii': c.options['send_default_pii']}))",
        SENTRY_DSN="https://public@sentry.example.de/1",
        SENTRY_ENVIRONMENT="staging",
    )
    assert out == {"active": True, "env": "staging", "pii": False}


def test_anymail_provider_replaces_smtp(tmp_path):
    out = _in_production(
        tmp_path,
        "from django.conf import settings\n"
        "from django.core.mail import get_connection\n"
        "c = get_connection()\n"
        "print(json.dumps({'backend': settings.EMAIL_BACKEND, 'cls': type(c).__module__,"
        " 'anymail': settings.ANYMAIL}))",
        ANYMAIL_PROVIDER="Mailgun",
        ANYMAIL_MAILGUN_API_KEY="key-123",
        ANYMAIL_MAILGUN_SENDER_DOMAIN="mg.example.de",
        EMAIL_HOST="smtp.example.de",
    )
    assert out["backend"] == "anymail.backends.mailgun.EmailBackend"
    assert out["cls"] == "anymail.backends.mailgun"
    assert out["anymail"] == {
        "MAILGUN_API_KEY": "key-123",
        "MAILGUN_SENDER_DOMAIN": "mg.example.de",
    }


def test_smtp_when_email_host_is_given(tmp_path):
    out = _in_production(
        tmp_path,
        "from django.conf import settings\n"
        "print(json.dumps([settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT]))",
        EMAIL_HOST="smtp.example.de",
        EMAIL_PORT="465",
    )
    assert out == ["django.core.mail.backends.smtp.EmailBackend", "smtp.example.de", 465]


def test_production_logs_are_json_lines_with_the_request_id(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, logging\n"
            "django.setup()\n"
            "from django.test import Client\n"
            "logging.getLogger('lernwerkstatt').warning('before any request')\n"
            "r = Client(HTTP_HOST='lernwerkstatt.example.de').get("
            "'/no-such-page/', HTTP_X_REQUEST_ID='req-42', secure=True)\n"
            "print(r.status_code, r['X-Request-ID'])\n",
        ],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["404", "req-42"]
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    first = next(line for line in lines if line["message"] == "before any request")
    assert first["request_id"] is None and first["level"] == "WARNING"
    not_found = next(line for line in lines if line["message"].startswith("Not Found"))
    assert not_found["request_id"] == "req-42"
    assert not_found["path"] == "/no-such-page/" and not_found["status_code"] == 404


@pytest.fixture
def captured_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def _records(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.django_db
def test_request_id_is_taken_from_the_proxy_and_echoed(client, captured_log):
    response = client.get("/missing-page/", HTTP_X_REQUEST_ID="proxy-abc-123")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "proxy-abc-123"
    assert any(r["request_id"] == "proxy-abc-123" for r in _records(captured_log))


@pytest.mark.django_db
def test_request_id_is_made_when_missing_or_unsafe(client, captured_log):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second
    # A header that would break a log line (newline, spaces) is replaced, never logged.
    forged = client.get("/missing-page/", HTTP_X_REQUEST_ID="x\nlevel=ERROR fake")
    assert forged["X-Request-ID"] != "x\nlevel=ERROR fake" and len(forged["X-Request-ID"]) == 32
    assert "fake" not in captured_log.getvalue()


def test_json_formatter_keeps_extra_fields_and_exceptions():
    record = logging.LogRecord("app", logging.ERROR, __file__, 1, "boom %s", ("x",), None)
    try:
        raise ValueError("bad")
    except ValueError:
        record.exc_info = sys.exc_info()
    record.enrolment_id = 7
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "boom x" and line["enrolment_id"] == 7
    assert "ValueError: bad" in line["exc_info"]
    assert line["request_id"] is None


@pytest.mark.django_db
def test_bench_bare_view_does_not_exist_in_production(client):
    assert client.get("/__bench__/bare/100/").status_code == 404


def test_bench_bare_view_returns_the_asked_size_when_enabled(tmp_path):
    out = _in_production(
        tmp_path,
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='lernwerkstatt.example.de')\n"
        "r = c.get('/__bench__/bare/1234/', {'type': 'json'}, secure=True)\n"
        "print(json.dumps([r.status_code, len(r.content), r['Content-Type'],"
        " r.has_header('X-Request-ID')]))",
        BENCH_BARE_VIEW="1",
    )
    # Through the same middleware as every view: it carries the request id header too.
    assert out == [200, 1234, "application/json", True]


def test_collectstatic_succeeds_with_the_production_storage(tmp_path):
    """The Docker build runs exactly this; a vendored bundle that names a missing source map
    must not break it, while the app's own files still get hashed names."""
    static_root = tmp_path / "static"
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=_production_env(tmp_path, STATIC_ROOT=str(static_root)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    assert manifest, "no hashed files"
    some_css = next(name for name in manifest if name.endswith(".css"))
    assert (static_root / manifest[some_css]).exists()
    assert (static_root / (manifest[some_css] + ".gz")).exists()  # compressed for whitenoise


def test_request_id_travels_with_a_task_into_the_worker():
    """Publisher side puts the id in the message headers; the worker sets it while the task runs
    and clears it afterwards (the smoke journey proves the same with a real worker)."""
    from types import SimpleNamespace

    from celery import signals

    import config.celery  # noqa: F401 - connects the handlers, as the worker does
    from config.logging import request_id_var

    token = request_id_var.set("req-7")
    headers: dict = {}
    signals.before_task_publish.send(sender="courses.tasks.x", headers=headers, body=None)
    request_id_var.reset(token)
    assert headers == {"request_id": "req-7"}

    class Task:  # what the worker passes: the task, whose request carries the message headers
        request = SimpleNamespace(request_id="req-7")

    signals.task_prerun.send(sender=Task, task=Task, task_id="1")
    assert request_id_var.get() == "req-7"
    signals.task_postrun.send(sender=Task, task=Task, task_id="1")
    assert request_id_var.get() is None


def test_a_bare_checkout_runs_management_commands_in_development_mode(tmp_path):
    env = _production_env(tmp_path)
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "development mode (DEBUG=1)" in result.stderr
