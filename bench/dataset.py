"""The benchmark data set on a throw-away PostgreSQL database.

Full size (scale 1): 2,000 courses, 10,000 runs, 60,000 sessions, 300,000 enrolments (30 per run,
every status), 30,000 trainees, 20 schools with 5 workshops each, 500 businesses in 2 chambers.
Scale 0.1 gives a tenth of everything that grows (for the query-count comparison).

The big tables are loaded with COPY (explicit ids, sequences reset afterwards); migrations run once
into an empty template database that each data set is cloned from, so a second size costs no second
migrate.

    python bench/dataset.py              # build scale 1 into lw_bench_<pid>_1, then drop it
    python bench/dataset.py --scale 0.1 --keep   # keep the database and print its URL

Used by bench/catalogue.py, bench/queries.py and bench/run_all.py through `prepared()`; the
filling itself is bench/filling/ (sizes in bench/filling/sizes.py)."""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
STATIC_ROOT = ROOT / "bench" / ".data" / "static"  # gitignored

# --- databases -----------------------------------------------------------------------------------


def server_url() -> str:
    """The PostgreSQL server of DATABASE_URL (a postgres:// one), else the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return url


def database_url(name: str) -> str:
    parts = urllib.parse.urlsplit(server_url())
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)


def create_database(name: str, template: str | None = None) -> None:
    drop_database(name)
    _admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def drop_database(name: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_env(name: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"TESTING", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DATABASE_URL=database_url(name),
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY")
        or "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvw",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
        CELERY_BROKER_URL="",
        STATIC_ROOT=str(STATIC_ROOT),
    )
    env.update(extra)
    return env


@contextlib.contextmanager
def mail_queue():
    """Production hands each e-mail to a Celery worker through Redis (the request stores the
    outbox row and queues its id); the booking benches do the same with no worker running, so a
    booking pays for the hand-off, not for SMTP. Yields the broker URL, or "" when Redis does not
    answer (then Celery sends in the request, as in development). The queue's own Redis database
    (BENCH_BROKER_URL, db 3 by default) is emptied afterwards."""
    url = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/3")
    if not broker_answers(url):
        yield ""
        return
    try:
        yield url
    finally:
        empty_queue(url)


def broker_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def empty_queue(url: str) -> None:
    """Only the bench's own queue database: the queued e-mails of throw-away bookings."""
    import redis

    with contextlib.suppress(redis.RedisError):
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()


def collectstatic() -> None:
    """Production static storage (manifest) needs collected files; unchanged ones are skipped."""
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=django_env("postgres"),
        check=True,
    )


def migrate(name: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=django_env(name),
        check=True,
    )


@contextlib.contextmanager
def template_database(log=print):
    """An empty, migrated database (static files collected too) to clone data sets from."""
    name = f"lw_bench_{os.getpid()}_empty"
    try:
        started = time.monotonic()
        create_database(name)
        # Side by side: on a shared machine two processes get twice the CPU share of one.
        static = subprocess.Popen(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=django_env("postgres"),
        )
        migrate(name)
        if static.wait() != 0:
            raise RuntimeError("collectstatic failed")
        log(f"  migrate + collectstatic: {time.monotonic() - started:.1f}s")
        yield name
    finally:
        with contextlib.suppress(Exception):
            drop_database(name)


@contextlib.contextmanager
def clone(template: str, suffix: str):
    """A throw-away copy of the template (a file copy on the server: seconds, not a migrate)."""
    name = f"lw_bench_{os.getpid()}_{suffix}"
    create_database(name, template=template)
    try:
        yield name
    finally:
        with contextlib.suppress(Exception):
            drop_database(name)


@contextlib.contextmanager
def prepared(scales=(1.0,), keep: bool = False, log=print, template: str | None = None):
    """Yield {scale: database name}, each filled; drop them all afterwards (unless keep).
    Without a template database one is made (and dropped) here."""
    if template is None:
        with (
            template_database(log) as made,
            prepared(scales, keep=keep, log=log, template=made) as names,
        ):
            yield names
        return
    names = {scale: f"lw_bench_{os.getpid()}_{str(scale).replace('.', '_')}" for scale in scales}
    try:
        started = time.monotonic()
        fills = {}
        for scale, name in names.items():  # filled side by side
            create_database(name, template=template)
            fills[scale] = subprocess.Popen(
                [PYTHON, __file__, "--fill", name, "--scale", str(scale)],
                cwd=ROOT,
                env=django_env(name),
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
        for scale, process in fills.items():
            out, _ = process.communicate()
            if process.returncode != 0:
                raise RuntimeError(f"filling the x{scale} data set failed")
            counts = json.loads(out.strip().splitlines()[-1])
            log(f"  data set x{scale} ready after {time.monotonic() - started:.1f}s: {counts}")
        yield names
    finally:
        if not keep:
            for name in names.values():
                with contextlib.suppress(Exception):
                    drop_database(name)


def _fill_main(name: str, scale: float) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from filling import fill

    assert connection.settings_dict["NAME"] == name, "refusing to fill a database not made here"
    print(json.dumps(fill(scale)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", action="store_true", help="keep the database, print its URL")
    parser.add_argument("--fill", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill:
        _fill_main(args.fill, args.scale)
        return 0
    started = time.monotonic()
    with prepared((args.scale,), keep=args.keep) as names:
        print(f"ready in {time.monotonic() - started:.1f}s")
        if args.keep:
            print(database_url(names[args.scale]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
