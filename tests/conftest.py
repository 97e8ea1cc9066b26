import pytest
from django.db import connection


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` prove what only PostgreSQL can (locking, exclusion constraints):
    they skip themselves, with the reason, when the suite runs on SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://… to run it")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, config):
    """Name this run's random order (pytest-randomly), so that a failure which depends on it can
    be repeated: the header that carries the seed is hidden by -q."""
    seed = getattr(config.option, "randomly_seed", None)
    if isinstance(seed, int):
        terminalreporter.write_line(
            f"random order: repeat it with -p randomly --randomly-seed={seed}"
        )


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    """Each test writes files (PDFs, logos) to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language and leaves no other one active: a request or a
    task that activates a user's language must not decide what the next test sees."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and sent-mail markers live in the cache; each test starts with none."""
    from django.core.cache import cache

    from core import freshness

    cache.clear()
    freshness._recent.clear()  # each process's own copies too: test databases repeat stamps
    yield
    cache.clear()
    freshness._recent.clear()


@pytest.fixture(autouse=True)
def _no_gathered_hand_offs():
    """E-mails a test committed with a broker configured are gathered for a batch message
    (core.handoff.Gathered, per process): none is left for the next test to hand over."""
    yield
    from core.services import outbox

    outbox._gathered.discard()
