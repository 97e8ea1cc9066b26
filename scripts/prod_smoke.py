#!/usr/bin/env python
"""Production smoke journey: the production topology without Docker, checked through HTTP.

Against the PostgreSQL server of DATABASE_URL and the Redis of CELERY_BROKER_URL (defaults:
127.0.0.1) it creates a throw-away database lw_smoke_<pid>, migrates, loads the demo data, collects
static files, starts gunicorn (2 workers), a Celery worker (all queues) and Celery beat with the
production settings (DEBUG off), then walks one journey with a real HTTP client:

health and readiness, the catalogue page, an API key, a webhook registered to a receiver this script
runs on 127.0.0.1, a booking through POST /api/v1/enrolments/, attendance and completion through the
services, certificates issued by the worker (bulk IssueJob task), the PDF fetched through the API,
and the certificate.issued webhook with a valid HMAC signature. Then, with beat on a 5-second
schedule, the due work: an expired approval hold released, a reminder sent through the e-mail
outbox, and a webhook that failed once retried and delivered; then the telemetry ingest process
stores a reading published to the MQTT broker (SMOKE_MQTT_URL).

Each check prints ✓ or ✗ with its time. Everything started here is stopped (process groups), and
the database dropped, also on failure. Exit status 0 only if every check passed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x CELERY_BROKER_URL=redis://127.0.0.1:6379/9 \\
        python scripts/prod_smoke.py
"""

import shutil
import signal
import sys
import time

from smoke.due_work import due_work
from smoke.journey import journey
from smoke.receiver import Receiver
from smoke.report import SmokeFailure, check_quietly, results
from smoke.stack import FLAKY_HOOK_PORT, HOOK_PORT, Smoke, admin_sql
from smoke.telemetry import telemetry_journey
from smoke.topology import bring_up


def main() -> int:
    started = time.monotonic()
    smoke = Smoke()
    print(f"production smoke: database {smoke.database}, broker {smoke.env['CELERY_BROKER_URL']}")
    failed = False

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        with Receiver(HOOK_PORT) as receiver:
            bring_up(smoke)
            journey(smoke, receiver)
            due_work(smoke, FLAKY_HOOK_PORT)
            telemetry_journey(smoke)
    except (SmokeFailure, KeyboardInterrupt):
        failed = True
    except Exception as exc:  # an unexpected error is a failed smoke, with its reason
        failed = True
        print(f"✗ unexpected: {type(exc).__name__}: {exc}")
    finally:
        smoke.stop_all()
        if failed:
            smoke.dump_logs()
        with check_quietly():
            admin_sql(f'DROP DATABASE IF EXISTS "{smoke.database}" WITH (FORCE)')
        shutil.rmtree(smoke.workdir, ignore_errors=True)
    passed = sum(1 for r in results if r[1])
    print(
        f"{'FAILED' if failed else 'passed'}: {passed}/{len(results)} checks "
        f"in {time.monotonic() - started:.1f} s; stopped web, worker, beat, telemetry; "
        "dropped the database"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
