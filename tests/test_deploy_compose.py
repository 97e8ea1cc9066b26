"""Docker does not run on these machines, so the compose file is checked against the project
instead: every command, queue, health check, image and setting it names must exist."""

import fnmatch
import importlib
import inspect
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parent.parent
DOCKER = ROOT / "docker"
APP_SERVICES = {"migrate", "web", "worker", "beat", "telemetry"}
# Official images (Docker Hub "library/") this topology may use, and what for.
OFFICIAL_IMAGES = {"postgres", "redis", "python", "eclipse-mosquitto"}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DOCKER / "compose.yaml").read_text())


def _argv(value) -> list[str]:
    return list(value) if isinstance(value, list) else shlex.split(value)


def _env_example_names() -> list[str]:
    names = []
    for line in (DOCKER / ".env.example").read_text().splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]+)=", line)
        if match:
            names.append(match.group(1))
    return names


def _route_queues() -> set[str]:
    return {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()} | {
        settings.CELERY_TASK_DEFAULT_QUEUE
    }


def test_topology_has_every_service_and_volume(compose):
    services = compose["services"]
    assert set(services) == {
        "postgres",
        "redis",
        "migrate",
        "web",
        "worker",
        "beat",
        "mosquitto",
        "telemetry",
    }
    declared = set(compose["volumes"])
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("./"):  # configuration from this folder, bind-mounted
                assert (DOCKER / source).exists() or source == "./mosquitto/passwords", source
                continue
            assert source in declared, f"{name} mounts undeclared volume {source}"
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown service {dependency}"
    assert any(
        v.startswith("pgdata:/var/lib/postgresql/data") for v in services["postgres"]["volumes"]
    )
    for name in APP_SERVICES:
        assert "media:/app/media" in services[name]["volumes"]


def test_web_and_worker_share_the_certificate_keys_directory(compose):
    """Web signs Open Badges and publishes the JWKS, the worker signs the PDFs: one key pair, so
    CERTIFICATE_KEYS_DIR must be one named volume mounted where both processes look."""
    services = compose["services"]
    mounts = {}
    for name in ("web", "worker"):
        keys_dir = services[name]["environment"]["CERTIFICATE_KEYS_DIR"]
        (volume,) = [v for v in services[name]["volumes"] if v.split(":")[1] == keys_dir]
        mounts[name] = volume.split(":")[0]
        assert mounts[name] in compose["volumes"]  # a named volume, not a container path
    assert mounts["web"] == mounts["worker"]
    dockerfile = (DOCKER / "Dockerfile").read_text()
    assert "/app/keys" in dockerfile  # made and owned by the app user before the volume is mounted


def test_images_are_official_or_built_here(compose):
    for name, service in compose["services"].items():
        if name in APP_SERVICES:
            assert service["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}
            continue
        image, _, tag = service["image"].partition(":")
        assert image in OFFICIAL_IMAGES, f"{name} uses {image}, not an official image"
        assert tag, f"{name} must pin a tag"
    base = re.search(r"^FROM\s+(\S+)", (DOCKER / "Dockerfile").read_text(), re.M).group(1)
    assert base == "python:3.11-slim"


def test_web_runs_the_real_wsgi_application(compose):
    argv = _argv(compose["services"]["web"]["command"])
    assert argv[0] == "gunicorn"
    module_name, _, attribute = argv[1].partition(":")
    application = getattr(importlib.import_module(module_name), attribute)
    assert callable(application)
    assert application.__class__.__name__ == "WSGIHandler"


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_celery_commands_name_the_project_app(compose, service):
    from celery import Celery
    from celery.app.utils import find_app

    argv = _argv(compose["services"][service]["command"])
    assert argv[:2] == ["celery", "-A"]
    app = find_app(argv[2])  # exactly what `celery -A <name>` does
    assert isinstance(app, Celery)
    assert app is importlib.import_module("config.celery").app
    assert argv[3] == service


def test_worker_consumes_every_routed_queue_and_no_unknown_one(compose):
    argv = _argv(compose["services"]["worker"]["command"])
    queues = set(argv[argv.index("-Q") + 1].split(","))
    routed = _route_queues()
    # A queue nobody consumes strands its tasks; a queue nobody routes to is a typo.
    assert queues == routed, f"worker consumes {queues}, settings route to {routed}"
    assert {"default", "mail", "pdf", "webhooks"} <= queues


def test_routes_send_real_tasks_to_their_queues():
    """Each route pattern of CELERY_TASK_ROUTES must match at least one registered task once the
    apps have written them; the tasks that exist land in the queue named for their kind."""
    import config.celery  # noqa: F401 - registers the app and autodiscovers tasks

    app = config.celery.app
    app.loader.import_default_modules()
    tasks = sorted(name for name in app.tasks if not name.startswith("celery."))
    router = app.amqp.router
    for name in tasks:
        queue = router.route({}, name)["queue"].name
        assert queue in _route_queues(), f"{name} routed to unknown queue {queue}"
        if name.rsplit(".", 1)[-1].startswith("send_"):
            assert queue == "mail", name  # e-mail tasks of any app share the mail queue
        elif name.startswith("certificates."):
            assert queue == "pdf", name
        elif name.startswith("api.tasks."):
            assert queue == "webhooks", name
    for pattern in settings.CELERY_TASK_ROUTES:
        assert fnmatch.filter(tasks, pattern), f"route {pattern} matches no task"
    assert "certificates.tasks.issue_for_run" in tasks and "api.tasks.deliver" in tasks


def test_manage_commands_exist(compose):
    commands = get_commands()
    for name in APP_SERVICES:
        argv = _argv(compose["services"][name]["command"])
        if argv[:2] == ["python", "manage.py"]:
            assert argv[2] in commands, f"{name} runs unknown command {argv[2]}"
    assert _argv(compose["services"]["migrate"]["command"])[2] == "migrate"
    assert compose["services"]["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat", "telemetry"):
        condition = compose["services"][name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully"


def test_every_long_running_service_has_a_working_health_check(compose):
    services = compose["services"]
    for name, service in services.items():
        if name != "migrate":
            assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
    web = services["web"]["healthcheck"]["test"]
    assert web[:3] == ["CMD", "python", "docker/healthcheck.py"]
    path = web[3]
    try:
        match = resolve(path)
    except Resolver404:
        pytest.fail(f"web health check URL {path} does not resolve")
    assert match.url_name == "readyz"
    assert (DOCKER / "healthcheck.py").exists()
    assert "celery -A config inspect ping" in services["worker"]["healthcheck"]["test"][1]
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"][1]
    assert services["redis"]["healthcheck"]["test"][1:] == ["redis-cli", "ping"]
    assert "--pidfile" in _argv(services["beat"]["command"])


@pytest.mark.django_db(transaction=True)
def test_health_check_script_tells_ready_from_down(live_server):
    env = {**os.environ, "ALLOWED_HOSTS": "localhost", "HEALTHCHECK_BASE_URL": live_server.url}
    ok = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, str(DOCKER / "healthcheck.py"), "/readyz"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert ok.returncode == 0, ok.stderr
    assert "healthy" in ok.stdout
    env["HEALTHCHECK_BASE_URL"] = "http://127.0.0.1:9"  # discard port: nothing listens
    down = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, str(DOCKER / "healthcheck.py"), "/readyz"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert down.returncode == 1


def test_every_documented_setting_is_read(compose):
    settings_source = "".join(
        path.read_text() for path in sorted((ROOT / "config").glob("*settings.py"))
    )
    compose_source = (DOCKER / "compose.yaml").read_text()
    import gunicorn.config

    gunicorn_source = inspect.getsource(gunicorn.config)
    names = _env_example_names()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "POSTGRES_PASSWORD", "SENTRY_DSN"} <= set(names)
    for name in names:
        if name.startswith("ANYMAIL_") and name != "ANYMAIL_PROVIDER":
            assert 'startswith("ANYMAIL_")' in settings_source
        elif f'"{name}"' in settings_source or "${" + name in compose_source:
            continue
        elif name == "WEB_CONCURRENCY":
            assert '"WEB_CONCURRENCY"' in gunicorn_source
        else:
            pytest.fail(f"{name} is documented in .env.example but nothing reads it")
    for name in APP_SERVICES:
        for key in compose["services"][name]["environment"]:
            assert f'"{key}"' in settings_source, f"compose sets {key}, settings never read it"
    assert compose["services"]["web"]["env_file"] == ".env"


def test_dockerfile_builds_a_non_root_gunicorn_image():
    text = (DOCKER / "Dockerfile").read_text()
    user = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert user and user[-1] not in {"root", "0"}
    assert "collectstatic" in text and "compilemessages" in text
    assert re.search(r'pip install "?\.', text)
    cmd = re.search(r"^CMD\s+(\[.*\])", text, re.M).group(1)
    assert yaml.safe_load(cmd)[:2] == ["gunicorn", "config.wsgi:application"]
    copied = re.findall(r"^COPY\s+(\S+)", text, re.M)
    for source in copied:
        assert source == "." or (ROOT / source).exists(), f"Dockerfile copies missing {source}"


def test_readme_operations_lists_every_setting():
    """The settings table in README.md "## Operations" names every variable the settings read
    (except the test-suite and benchmark switches)."""
    settings_source = "".join(
        path.read_text() for path in sorted((ROOT / "config").glob("*settings.py"))
    )
    read = set(
        re.findall(
            r'(?:os\.environ\.get|os\.environ\[|env_bool|env_list)\(?"([A-Z][A-Z0-9_]+)"',
            settings_source,
        )
    )
    assert {"SECRET_KEY", "DATABASE_URL", "SENTRY_DSN", "AWS_STORAGE_BUCKET_NAME"} <= read
    readme = (ROOT / "README.md").read_text()
    operations = readme[readme.index("## Operations") :]
    internal = {"TESTING", "TEST_DB_NAME", "BENCH_BARE_VIEW"}
    missing = sorted(name for name in read - internal if f"`{name}`" not in operations)
    assert not missing, f"README ## Operations does not document {missing}"
