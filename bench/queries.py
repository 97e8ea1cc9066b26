"""Queries per request for each list endpoint and page, at two data sizes (full and a tenth).

A list that runs a fixed number of queries shows the same count at both sizes; a count that grows
with the data is an N+1 and fails the comparison. Each request is made twice through Django's test
client, signed in as the person who would see the page, and the second one is counted.

    python bench/queries.py            # builds both data sets, prints the table, exit 1 if unequal
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import dataset  # noqa: E402

# (label, path, who): path may hold {run}, {past_run} and {session}, filled per database.
TARGETS = [
    ("page /", "/", None),
    ("page /runs/<id>/", "/runs/{run}/", None),
    ("page /my/", "/my/", "trainee"),
    ("page /certificates/", "/certificates/", "trainee"),
    ("page /business/", "/business/", "contact"),
    ("page /staff/", "/staff/", "coordinator"),
    ("page /staff/courses/", "/staff/courses/", "coordinator"),
    ("page /staff/runs/", "/staff/runs/", "coordinator"),
    ("page /staff/runs/<id>/", "/staff/runs/{run}/", "coordinator"),
    ("page /staff/calendar/", "/staff/calendar/", "coordinator"),
    ("page /staff/calendar/month/", "/staff/calendar/month/", "coordinator"),
    ("page /staff/my-sessions/", "/staff/my-sessions/", "instructor"),
    (
        "page /staff/sessions/<id>/attendance/",
        "/staff/sessions/{session}/attendance/",
        "instructor",
    ),
    ("page /staff/certificates/", "/staff/certificates/", "coordinator"),
    ("page /staff/certificates/runs/<id>/", "/staff/certificates/runs/{past_run}/", "coordinator"),
    ("page /staff/equipment/", "/staff/equipment/", "coordinator"),
    ("api /api/v1/courses/", "/api/v1/courses/", "api"),
    ("api /api/v1/runs/", "/api/v1/runs/?page_size=100", "api"),
    ("api /api/v1/enrolments/", "/api/v1/enrolments/?page_size=100", "api"),
    ("api /api/v1/attendance/", "/api/v1/attendance/", "api"),
    ("api /api/v1/businesses/", "/api/v1/businesses/", "api"),
    ("api /api/v1/trainees/", "/api/v1/trainees/", "api"),
    ("api /api/v1/certificates/", "/api/v1/certificates/", "api"),
    ("api /api/v1/tombstones/", "/api/v1/tombstones/", "api"),
    ("api /api/v1/webhooks/", "/api/v1/webhooks/", "api"),
    ("api /api/v1/moochub/courses/", "/api/v1/moochub/courses/", None),
]


def _measure() -> dict:
    """Inside Django (DATABASE_URL = a prepared data set): {label: [status, queries]}."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from courses.models import CourseRun, Session
    from people.models import Chamber, User

    school_runs = CourseRun.objects.filter(school__code="B1")
    ids = {
        "run": school_runs.filter(status="published", booking_closes_at__gt=timezone.now())
        .order_by("starts_at")
        .values_list("id", flat=True)
        .first(),
        "past_run": school_runs.filter(status="completed").values_list("id", flat=True).first(),
    }
    instructor = User.objects.get(email="ausbilder0@bench.example")
    ids["session"] = (
        Session.objects.filter(instructor=instructor, run__status="published")
        .order_by("start")
        .values_list("id", flat=True)
        .first()
    )
    users = {
        "trainee": User.objects.get(email="azubi0@bench.example"),
        "contact": User.objects.get(email="betrieb@bench.example"),
        "coordinator": User.objects.get(email="koordination@bench.example"),
        "instructor": instructor,
    }
    api_headers = {}
    try:
        from api.services import VALID_SCOPES, create_api_key

        _key, plaintext = create_api_key(
            chamber=Chamber.objects.get(code="hwk-bench"),
            name="bench",
            scopes=sorted(VALID_SCOPES),
            expires_at=None,
        )
        api_headers = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    except ImportError:
        pass  # no API yet: its rows say so

    results = {}
    for label, path, who in TARGETS:
        client = Client()
        headers = {}
        if who == "api":
            headers = api_headers
        elif who:
            client.force_login(users[who])
        url = path.format(**ids)
        try:
            client.get(url, **headers)  # warm caches (content types, permissions, templates)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, **headers)
            results[label] = [response.status_code, len(queries)]
        except Exception as exc:  # a page that crashes is reported, not fatal for the table
            results[label] = [500, f"{type(exc).__name__}"]
    return results


def measure(database: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--measure"],
        cwd=ROOT,
        env=dataset.django_env(
            database,
            DJANGO_SETTINGS_MODULE="config.settings",
            ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
            API_THROTTLE_RATE="1000000/min",
            SECURE_COOKIES="false",
            # Counted as a signed-in staff member sees the pages, past the second-factor step.
            MFA_REQUIRED_FOR_STAFF="false",
            LOG_LEVEL="CRITICAL",  # a failing page is reported in the table, not as a traceback
        ),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def compare(small: dict, full: dict) -> list[dict]:
    rows = []
    for label, _path, _who in TARGETS:
        (s_status, s_q), (f_status, f_q) = small[label], full[label]
        if s_status != 200 or f_status != 200:
            verdict = f"not available (HTTP {s_status}/{f_status})"
        else:
            verdict = "equal" if s_q == f_q else "GROWS"
        rows.append({"target": label, "small": s_q, "full": f_q, "verdict": verdict})
    return rows


def run(databases: dict) -> list[dict]:
    """databases: {scale: name} with scales 0.1 and 1.0 (from dataset.prepared)."""
    # Both sizes side by side (counts do not depend on timing; a shared machine gives two
    # processes twice the CPU share of one).
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        small, full = pool.map(measure, [databases[0.1], databases[1.0]])
    return compare(small, full)


def print_rows(rows: list[dict]) -> None:
    print(f"{'request':44} {'x0.1':>6} {'x1':>6}  verdict")
    for row in rows:
        print(f"{row['target']:44} {row['small']!s:>6} {row['full']!s:>6}  {row['verdict']}")


def main() -> int:
    if "--measure" in sys.argv:
        print(json.dumps(_measure()))
        return 0
    if "--databases" in sys.argv:  # reuse kept data sets: --databases <x0.1 name>,<x1 name>
        small, full = sys.argv[sys.argv.index("--databases") + 1].split(",")
        rows = run({0.1: small, 1.0: full})
    else:
        with dataset.prepared((0.1, 1.0)) as databases:
            rows = run(databases)
    print_rows(rows)
    return 1 if any(row["verdict"] == "GROWS" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
