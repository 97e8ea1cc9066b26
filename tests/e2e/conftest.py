"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium, no browser download)
against a real HTTP server (manage.py runserver in a subprocess) that serves the demo district from
its own SQLite file, seeded once per test session with `seed_demo`.

Each test leaves a screenshot of its last page in $SCREENSHOT_DIR (default ci-artifacts/screenshots)
and every accessibility check writes its axe-core result there as JSON."""

import contextlib
import email
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from email import policy
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "ci-artifacts" / "screenshots"))
PASSWORD = "lernwerkstatt"
# Environment the server must not inherit: it always runs on its own SQLite file, eager Celery,
# local disk and file e-mail, whatever the suite around it is pointed at.
SERVER_ENV_DROP = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CACHE_URL",
    "EMAIL_HOST",
    "EMAIL_BACKEND",
    "ANYMAIL_PROVIDER",
    "SENTRY_DSN",
    "AWS_STORAGE_BUCKET_NAME",
    "S3_BUCKET",
    "DJANGO_SETTINGS_MODULE",
)


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test; they need Chromium and run once per CI
    (in the SQLite pass: the server has its own SQLite database either way)."""
    from django.conf import settings

    here = Path(__file__).parent
    mine = [item for item in items if Path(str(item.fspath)).is_relative_to(here)]
    for item in mine:
        item.add_marker(pytest.mark.e2e)
    reason = None
    if not Path(CHROMIUM).exists():
        reason = f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)"
    elif settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        reason = "browser journeys run in the SQLite pass; their server always uses its own SQLite"
    if reason:
        for item in mine:
            item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, url: str, mail_dir: Path, log: Path, env: dict):
        self.url = url
        self.mail_dir = mail_dir
        self.log = log
        self.env = env

    def manage(self, *args: str) -> str:
        """Run a management command against the server's database (e.g. to look something up)."""
        result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code)

    def mails_to(self, address: str) -> list[email.message.EmailMessage]:
        found = []
        for path in sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
            # The file backend appends every message of a connection, separated by a dash line.
            for chunk in path.read_text(encoding="utf-8").split("-" * 79):
                chunk = chunk.strip()
                if not chunk:
                    continue
                message = email.message_from_string(chunk, policy=policy.default)
                if address.lower() in (message.get("To") or "").lower():
                    found.append(message)
        return found


@pytest.fixture(scope="session")
def e2e_server(tmp_path_factory) -> "LiveServer":
    """Create and seed a fresh SQLite file, then serve it on a free local port.
    (E2E_SERVER_URL reuses a server running with these settings, while writing tests.)"""
    if os.environ.get("E2E_SERVER_URL"):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.e2e.server_settings"}
        yield LiveServer(
            os.environ["E2E_SERVER_URL"], Path(os.environ["E2E_MAIL_DIR"]), Path("/dev/null"), env
        )
        return
    base = tmp_path_factory.mktemp("e2e")
    mail_dir = base / "mail"
    mail_dir.mkdir()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {key: value for key, value in os.environ.items() if key not in SERVER_ENV_DROP}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.e2e.server_settings",
            "DATABASE_URL": f"sqlite:///{base / 'e2e.sqlite3'}",
            "DEBUG": "1",  # static files served from the app folders, no collectstatic needed
            "TESTING": "1",  # fast password hashing, no login rate limits
            "E2E_MAIL_DIR": str(mail_dir),
            "E2E_SYNCDB": "1",
            "MEDIA_ROOT": str(base / "media"),
            "SITE_URL": url,
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    server = LiveServer(url, mail_dir, base / "server.log", env)
    started = time.monotonic()
    server.manage("migrate", "--run-syncdb", "--noinput", "-v0")
    server.manage("seed_demo")
    seeded = time.monotonic() - started
    log = server.log.open("w")
    process = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "live server did not start:\n" + server.log.read_text()
                    ) from None
                time.sleep(0.3)
        print(f"\ne2e server on {url}: migrate + seed_demo took {seeded:.1f}s")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, e2e_server, request):
    """A factory for pages in fresh browser contexts (separate cookies, like separate people).
    German browser by default; every page opened is screenshotted when the test ends."""
    contexts = []
    pages = []

    def make(locale: str = "de-DE", viewport: dict | None = None):
        context = browser.new_context(
            base_url=e2e_server.url,
            locale=locale,
            viewport=viewport or {"width": 1280, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield make
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    for index, page in enumerate(pages):
        suffix = "" if index == 0 else f"-{index + 1}"
        with contextlib.suppress(Exception):
            page.screenshot(path=str(SCREENSHOT_DIR / f"{name}{suffix}.png"), full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def login(page, email_address: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-Mail").first.fill(email_address)
    page.get_by_label("Passwort").first.fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"login as {email_address} failed"


# Rules that judge the page's content rather than our markup are still checked; only impact
# decides: serious and critical violations fail the test.
FAILING_IMPACTS = {"serious", "critical"}


def check_a11y(page, name: str) -> list[dict]:
    """Run axe-core (WCAG 2.1 A/AA rules and best practices) over the current page; fail on
    serious or critical violations, and keep the full result as JSON next to the screenshots."""
    # By URL from our own static files: the Content Security Policy refuses inline scripts, and
    # an injected <script> with the file's text would be one.
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag',
                      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    violations = result["violations"]
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    (SCREENSHOT_DIR / f"axe-{name}.json").write_text(
        json.dumps(
            {
                "url": page.url,
                "violations": [
                    {
                        "id": v["id"],
                        "impact": v["impact"],
                        "help": v["help"],
                        "targets": [n["target"] for n in v["nodes"]],
                    }
                    for v in violations
                ],
            },
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not failing, f"axe on {name} ({page.url}):\n" + "\n".join(
        f"- [{v['impact']}] {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in failing
    )
    return violations


def confirm_requirements(page) -> None:
    """Tick "I belong to the target group and meet the prerequisites" where the course asks."""
    box = page.locator("#requirements-ok")
    if box.count():
        box.check()


def open_menu(page) -> None:
    """On a phone the navigation folds behind the menu button: open it, as a person would."""
    button = page.locator(".site-menu-toggle")
    if button.is_visible() and button.get_attribute("aria-expanded") == "false":
        button.click()
