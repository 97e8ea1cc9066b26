"""Both sides of bench/peer_pretix.py made ready: pretix from PyPI in its own virtual environment
outside the repository, configured against the local PostgreSQL (its own database), seeded through
its ORM; and ours seeded the same way (runs, verified trainees, browser sessions, an API key).

Nothing of pretix is kept in the repository: the environment lives in PRETIX_VENV (default
~/.cache/lw-bench/pretix-venv), its configuration and data in a temporary directory."""

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import urllib.parse
from pathlib import Path

PRETIX_VERSION = os.environ.get("PRETIX_VERSION", "")  # empty: the newest on PyPI
PRETIX_VENV = Path(
    os.environ.get("PRETIX_VENV", Path.home() / ".cache" / "lw-bench" / "pretix-venv")
)
PRETIX_DB = os.environ.get("PRETIX_DB", "pretix_bench")


class Skip(Exception):  # noqa: N818 - a reason, not a failure
    """pretix cannot be had here (PyPI unreachable, install failed): ours runs alone."""


# --- pretix --------------------------------------------------------------------------------------


def pretix_python() -> Path:
    return PRETIX_VENV / "bin" / "python"


def install_pretix(log=print) -> str:
    """The pretix environment, installed on first use; returns pretix's version."""
    python = pretix_python()
    probe = [str(python), "-c", "import pretix, gunicorn, psycopg2; print(pretix.__version__)"]
    if python.exists():
        found = subprocess.run(probe, capture_output=True, text=True)
        if found.returncode == 0 and (not PRETIX_VERSION or found.stdout.strip() == PRETIX_VERSION):
            return found.stdout.strip()
    log(f"installing pretix{'==' + PRETIX_VERSION if PRETIX_VERSION else ''} into {PRETIX_VENV}")
    PRETIX_VENV.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "venv", "--clear", str(PRETIX_VENV)], check=True, capture_output=True
    )
    spec = f"pretix=={PRETIX_VERSION}" if PRETIX_VERSION else "pretix"
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", spec, "gunicorn", "psycopg2-binary"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
        raise Skip(f"pip install pretix failed (PyPI unreachable?): {last[0][:200]}")
    found = subprocess.run(probe, capture_output=True, text=True, check=True)
    return found.stdout.strip()


def pretix_config(server_url: str, port: int) -> tuple[Path, dict]:
    """pretix.cfg for the database PRETIX_DB on the server of `server_url`; the environment to
    run pretix with."""
    parts = urllib.parse.urlsplit(server_url)
    home = Path(tempfile.mkdtemp(prefix="lw-bench-pretix-"))
    (home / "data").mkdir()
    cfg = home / "pretix.cfg"
    cfg.write_text(
        textwrap.dedent(
            f"""\
            [pretix]
            instance_name=bench
            url=http://127.0.0.1:{port}
            datadir={home / "data"}
            trust_x_forwarded_for=off

            [django]
            debug=off

            [database]
            backend=postgresql
            name={PRETIX_DB}
            user={parts.username or "postgres"}
            password={parts.password or ""}
            host={parts.hostname or "127.0.0.1"}
            port={parts.port or 5432}

            [mail]
            from=bench@example.org
            host=127.0.0.1
            port=1

            [logging]
            level=WARNING
            """
        )
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "TESTING"}}
    env.update(PRETIX_CONFIG_FILE=str(cfg), DJANGO_SETTINGS_MODULE="pretix.settings")
    return home, env


def ensure_pretix_database(admin_url: str) -> None:
    """pretix's own database: kept between runs (its migrate is then a no-op); each run seeds a
    new organizer."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PRETIX_DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{PRETIX_DB}"')


def migrate_pretix(env: dict) -> None:
    done = subprocess.run(
        [str(pretix_python()), "-m", "pretix", "migrate", "--noinput", "-v0"],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError("pretix migrate failed: " + done.stderr.strip()[-300:])


PRETIX_SEED = """
import datetime as dt, json, sys
from decimal import Decimal
import django
django.setup()
from django.utils import timezone
from django_scopes import scopes_disabled
from pretix.base.models import Event, Item, Organizer, Quota, Team
from pretix.base.models.organizer import SalesChannel

slug, n_events, seats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with scopes_disabled():
    organizer = Organizer.objects.create(name="Bench " + slug, slug=slug)
    if not organizer.sales_channels.filter(identifier="web").exists():
        SalesChannel.objects.create(organizer=organizer, identifier="web", label="Online shop",
                                    type="web")
    team = Team.objects.create(organizer=organizer, name="Bench", all_events=True,
                               all_event_permissions=True, all_organizer_permissions=True)
    token = team.tokens.create(name="bench")
    start = timezone.now() + dt.timedelta(days=30)
    events = []
    for i in range(n_events):
        event = Event.objects.create(organizer=organizer, name="3D-Druck kompakt %d" % i,
                                     slug="e%d" % i, date_from=start + dt.timedelta(days=i),
                                     currency="EUR", live=True)
        item = Item.objects.create(event=event, name="Platz", default_price=Decimal("0.00"),
                                   admission=True, active=True)
        quota = Quota.objects.create(event=event, name="Plätze", size=seats)
        quota.items.add(item)
        events.append({"slug": event.slug, "item": item.pk})
print(json.dumps({"organizer": slug, "token": token.token, "events": events}))
"""


def seed_pretix(env: dict, slug: str, n_events: int, seats: int) -> dict:
    done = subprocess.run(
        [str(pretix_python()), "-c", PRETIX_SEED, slug, str(n_events), str(seats)],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError("seeding pretix failed: " + done.stderr.strip()[-500:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def pretix_server(env: dict, port: int, workers: int, log) -> subprocess.Popen:
    gunicorn = PRETIX_VENV / "bin" / "gunicorn"
    return subprocess.Popen(
        [
            str(gunicorn),
            "pretix.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


# --- ours ----------------------------------------------------------------------------------------


def seed_ours(token: str, n_trainees: int, contended: int, uncontended: int, seats: int) -> dict:
    """`contended` runs of `seats` seats (one per round of the race), `uncontended` runs with
    room for everyone (trainee i books run i of a round), all on different days, so that no
    trainee's bookings overlap; verified trainees with browser sessions; an API key."""
    import datetime as dt

    # The sibling benchmark's course and trainees (bench/booking_race.py).
    from booking_race import bench_course, signed_in_trainees

    now, school, workshop, course = bench_course(token, "Peer", seats=400)

    from api.services.keys import create_api_key
    from courses.models import CourseRun, Session

    day0 = (now + dt.timedelta(days=30)).replace(hour=8, minute=0, second=0, microsecond=0)

    def runs(count: int, capacity: int, first_day: int) -> list[CourseRun]:
        made = CourseRun.objects.bulk_create(
            [
                CourseRun(
                    course=course,
                    school=school,
                    workshop=workshop,
                    capacity=capacity,
                    booking_opens_at=now - dt.timedelta(days=1),
                    booking_closes_at=now + dt.timedelta(days=20),
                    cancellation_deadline=now + dt.timedelta(days=19),
                    status=CourseRun.Status.PUBLISHED,
                    starts_at=day0 + dt.timedelta(days=first_day + i),
                    ends_at=day0 + dt.timedelta(days=first_day + i, hours=8),
                )
                for i in range(count)
            ]
        )
        Session.objects.bulk_create(
            [Session(run=r, workshop=workshop, start=r.starts_at, end=r.ends_at) for r in made]
        )
        return made

    contended_runs = runs(contended, seats, 0)
    uncontended_runs = runs(uncontended, 400, contended + 1)
    chamber, keys = signed_in_trainees(token, n_trainees, "peer")
    _key, api_key = create_api_key(
        chamber=chamber, name="peer bench", scopes=["courses:read"], expires_at=None
    )
    return {
        "contended": [r.pk for r in contended_runs],
        "uncontended": [r.pk for r in uncontended_runs],
        "sessions": keys,
        "api_key": api_key,
    }


def our_counts(run_id: int) -> dict:
    from courses.models import Enrolment

    rows = Enrolment.objects.filter(run_id=run_id)
    seqs = sorted(rows.filter(status="waitlisted").values_list("waitlist_seq", flat=True))
    return {
        "confirmed": rows.filter(status="confirmed").count(),
        "waitlisted": len(seqs),
        "other": rows.exclude(status__in=["confirmed", "waitlisted"]).count(),
        "gapless": seqs == list(range(1, len(seqs) + 1)),
    }


def uncontended_written(run_ids: list[int]) -> int:
    from courses.models import Enrolment

    return Enrolment.objects.filter(run_id__in=run_ids, status="confirmed").count()
