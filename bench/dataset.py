"""The benchmark data set on a throw-away PostgreSQL database.

Full size (scale 1): 2,000 courses, 10,000 runs, 60,000 sessions, 300,000 enrolments (30 per run,
every status), 30,000 trainees, 20 schools with 5 workshops each, 500 businesses in 2 chambers.
Scale 0.1 gives a tenth of everything that grows (for the query-count comparison).

The big tables are loaded with COPY (explicit ids, sequences reset afterwards); migrations run once
into an empty template database that each data set is cloned from, so a second size costs no second
migrate.

    python bench/dataset.py              # build scale 1 into lw_bench_<pid>_1, then drop it
    python bench/dataset.py --scale 0.1 --keep   # keep the database and print its URL

Used by bench/catalogue.py, bench/queries.py and bench/run_all.py through `prepared()`."""

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

SCHOOLS = 20
WORKSHOPS_PER_SCHOOL = 5
CHAMBERS = 2
BUSINESSES = 500
TOPICS = 10
COURSES = 2_000
RUNS_PER_COURSE = 5
SESSIONS_PER_RUN = 6
ENROLMENTS_PER_RUN = 30
TRAINEES = 30_000


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


# --- filling (runs inside Django, against DATABASE_URL) -------------------------------------------


def _copy(model, columns: list[str], rows) -> int:
    """COPY rows (tuples in `columns` order) into the model's table; other NOT NULL columns get
    their field default (or now() for auto_now fields), computed once."""
    from django.db import connection
    from django.utils import timezone
    from psycopg.types.json import Jsonb

    now = timezone.now()
    fixed = []
    for field in model._meta.concrete_fields:
        if field.attname in columns or field.name in columns or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        elif field.blank and field.get_internal_type() in {"CharField", "TextField", "FileField"}:
            value = ""
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
        if field.get_internal_type() == "JSONField":
            value = Jsonb(value)
        fixed.append((field.column, value))
    column_names = [model._meta.get_field(c).column if c != "id" else "id" for c in columns]
    all_columns = column_names + [c for c, _ in fixed]
    fixed_values = tuple(v for _, v in fixed)
    sql = 'COPY "{}" ({}) FROM STDIN'.format(
        model._meta.db_table, ", ".join(f'"{c}"' for c in all_columns)
    )
    count = 0
    started = time.monotonic()
    table = model._meta.db_table
    with connection.cursor() as cursor:
        # The rows are generated consistent; skipping the per-row foreign-key triggers while loading
        # makes the load several times faster (the database user of these machines is a superuser).
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        # Indexes and unique/exclusion constraints are dropped during the load and built again in
        # bulk afterwards: much faster than row by row, and the rebuild still checks every row
        # (no overlapping sessions, no duplicate active enrolment).
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('u', 'x')",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
            "AND i.indexname NOT IN (SELECT conname FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'x'))",
            [table, table],
        )
        indexes = cursor.fetchall()
        for name, _ in constraints:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row + fixed_values)
            count += 1
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        sequence = f"pg_get_serial_sequence('\"{table}\"', 'id')"
        cursor.execute(f'SELECT setval({sequence}, (SELECT max(id) FROM "{table}"))')  # noqa: S608
        cursor.execute("SET session_replication_role = DEFAULT")
    print(f"{model.__name__}: {count} rows in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return count


def fill(scale: float) -> dict:
    import uuid
    from datetime import timedelta
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from courses.models import Course, CourseRun, Enrolment, Session, Topic
    from people.models import Business, Chamber, District, Membership, School, TraineeProfile, User
    from workshops.models import Equipment, EquipmentType, Workshop

    courses = max(20, int(COURSES * scale))
    trainees = max(ENROLMENTS_PER_RUN * 2, int(TRAINEES * scale))
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    # Each workshop takes its runs' sessions back to back (two a day); about a fifth of them lie in
    # the past (completed runs), the rest ahead (bookable, cancelled, draft).
    runs_per_workshop = courses * RUNS_PER_COURSE / (SCHOOLS * WORKSHOPS_PER_SCHOOL)
    days_per_workshop = runs_per_workshop * SESSIONS_PER_RUN / 2
    day0 = (now - timedelta(days=int(days_per_workshop * 0.2))).replace(hour=0)

    with transaction.atomic():
        district = District.objects.create(name="Landkreis Benchmark", code="bench")
        schools = [
            School.objects.create(
                district=district, name=f"BBS {i + 1}", code=f"B{i + 1}", city="Ort"
            )
            for i in range(SCHOOLS)
        ]
        chambers = [
            Chamber.objects.create(name="HWK Bench", code="hwk-bench", kind="hwk"),
            Chamber.objects.create(name="IHK Bench", code="ihk-bench", kind="ihk"),
        ][:CHAMBERS]
        businesses = Business.objects.bulk_create(
            Business(name=f"Betrieb {i}", chamber=chambers[i % CHAMBERS], member_number=str(i))
            for i in range(BUSINESSES)
        )
        topics = Topic.objects.bulk_create(
            Topic(name=f"Themenfeld {i}", slug=f"thema-{i}") for i in range(TOPICS)
        )
        printer = EquipmentType.objects.create(
            name="3D-Drucker", slug="3d-drucker", participants_per_unit=2
        )
        instructors = User.objects.bulk_create(
            User(email=f"ausbilder{i}@bench.example", first_name="Ausbilder", last_name=str(i))
            for i in range(SCHOOLS * WORKSHOPS_PER_SCHOOL)
        )
        workshops = []
        for s, school in enumerate(schools):
            for w in range(WORKSHOPS_PER_SCHOOL):
                workshops.append(
                    Workshop(school=school, name=f"Lernwerkstatt {s}-{w}", seats=20 + (w % 3) * 2)
                )
        workshops = Workshop.objects.bulk_create(workshops)
        Equipment.objects.bulk_create(
            Equipment(
                school_id=ws.school_id,
                workshop=ws,
                type=printer,
                inventory_number=f"INV-{ws.pk}-{u}",
                status="available",
            )
            for ws in workshops
            for u in range(10)
        )

    # Big tables: COPY with explicit ids.
    trainee_base = User.objects.order_by("-id").values_list("id", flat=True).first() + 1
    _copy(
        User,
        ["id", "password", "email", "first_name", "last_name"],
        (
            (trainee_base + i, "!", f"azubi{i}@bench.example", "Azubi", f"Nr. {i}")
            for i in range(trainees)
        ),
    )
    _copy(
        TraineeProfile,
        ["id", "user", "kind", "business", "occupation", "lehrlingsrolle_number"],
        (
            (
                i + 1,
                trainee_base + i,
                "apprentice" if i % 4 else "staff",
                businesses[(trainee_base + i) % BUSINESSES].pk,
                "Mechatroniker:in",
                f"LR-{i}" if i % 4 else None,
            )
            for i in range(trainees)
        ),
    )
    _copy(
        Course,
        ["id", "school", "topic", "title", "summary", "description", "hours", "level"],
        (
            (
                c + 1,
                schools[c % SCHOOLS].pk,
                topics[c % TOPICS].pk,
                f"Kurs {c + 1}: {['SPS', '3D-Druck', 'CNC', 'Robotik', 'Laser'][c % 5]} kompakt",
                "Praxisnaher Einstieg in der Lernwerkstatt",
                "Beschreibung " * 20,
                Decimal(8 + (c % 5) * 8),
                ["beginner", "intermediate", "advanced"][c % 3],
            )
            for c in range(courses)
        ),
    )
    with connection.cursor() as cursor:  # half of the courses need a 3D printer per 2 people
        cursor.execute(
            "INSERT INTO courses_courseequipment (course_id, equipment_type_id) "
            "SELECT id, %s FROM courses_course WHERE id %% 2 = 0",
            [printer.pk],
        )

    runs, sessions, enrolments = [], [], []
    slots = dict.fromkeys(range(len(workshops)), 0)
    run_id = session_id = enrolment_id = 0
    workshops_of_school = {
        s: [i for i, ws in enumerate(workshops) if ws.school_id == school.pk]
        for s, school in enumerate(schools)
    }
    for c in range(courses):
        school_index = c % SCHOOLS
        for r in range(RUNS_PER_COURSE):
            run_id += 1
            w = workshops_of_school[school_index][(c // SCHOOLS + r) % WORKSHOPS_PER_SCHOOL]
            ws = workshops[w]
            instructor = instructors[w].pk
            times = []
            for _ in range(SESSIONS_PER_RUN):
                slot = slots[w]
                slots[w] += 1
                start = day0 + timedelta(days=slot // 2, hours=8 if slot % 2 == 0 else 13)
                times.append((start, start + timedelta(hours=4)))
            starts_at, ends_at = times[0][0], times[-1][1]
            if ends_at < now:
                status = "completed"
            elif run_id % 20 == 0:
                status = "cancelled"
            elif run_id % 20 == 1:
                status = "draft"
            else:
                status = "published"
            capacity = 24
            runs.append(
                (
                    run_id,
                    c + 1,
                    schools[school_index].pk,
                    ws.pk,
                    instructor,
                    capacity,
                    starts_at - timedelta(days=90),
                    starts_at - timedelta(days=1),
                    starts_at - timedelta(days=3),
                    status,
                    starts_at,
                    ends_at,
                    starts_at - timedelta(days=90) if status != "draft" else None,
                )
            )
            for start, end in times:
                session_id += 1
                session_status = "cancelled" if status == "cancelled" else "scheduled"
                sessions.append(
                    (
                        session_id,
                        run_id,
                        start,
                        end,
                        ws.pk,
                        instructor,
                        session_status,
                        uuid.uuid4(),
                    )
                )
            for j in range(ENROLMENTS_PER_RUN):
                enrolment_id += 1
                participant = trainee_base + (run_id * 7 + j * 997) % trainees
                if status == "completed":
                    e_status = ["completed", "completed", "completed", "not_completed", "no_show"][
                        j % 5
                    ]
                    seq = None
                elif status == "cancelled" or j >= 28:
                    e_status, seq = "cancelled", None
                elif j < 20:
                    e_status, seq = "confirmed", None
                elif j < 22:
                    e_status, seq = "pending", None
                else:
                    e_status, seq = "waitlisted", j - 21
                enrolments.append(
                    (
                        enrolment_id,
                        run_id,
                        participant,
                        f"Azubi Nr. {participant - trainee_base}",
                        participant,
                        businesses[participant % BUSINESSES].pk,
                        e_status,
                        "api" if j % 3 == 0 else "web",
                        seq,
                        # A pending booking waits for the employer's approval link, seat held.
                        f"bench-approval-{enrolment_id}" if e_status == "pending" else "",
                        now + timedelta(days=5) if e_status == "pending" else None,
                    )
                )
    _copy(
        CourseRun,
        [
            "id",
            "course",
            "school",
            "workshop",
            "instructor",
            "capacity",
            "booking_opens_at",
            "booking_closes_at",
            "cancellation_deadline",
            "status",
            "starts_at",
            "ends_at",
            "published_at",
        ],
        iter(runs),
    )
    _copy(
        Session,
        ["id", "run", "start", "end", "workshop", "instructor", "status", "uid"],
        iter(sessions),
    )
    _copy(
        Enrolment,
        [
            "id",
            "run",
            "participant",
            "participant_name",
            "booked_by",
            "business",
            "status",
            "source",
            "waitlist_seq",
            "approval_token",
            "hold_until",
        ],
        iter(enrolments),
    )
    # The people the query bench signs in as: a coordinator and an instructor role per workshop
    # of the first school, the contact of the first business, and a trainee (azubi0).
    coordinator = User.objects.create(
        email="koordination@bench.example", first_name="Koordination", last_name="Bench"
    )
    contact = User.objects.create(
        email="betrieb@bench.example", first_name="Kontakt", last_name="Bench"
    )
    Membership.objects.bulk_create(
        [
            Membership(user=coordinator, role="coordinator", school=schools[0]),
            Membership(user=contact, role="business_contact", business=businesses[0]),
            *(
                Membership(user=instructors[i], role="instructor", school_id=ws.school_id)
                for i, ws in enumerate(workshops)
            ),
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "courses": Course.objects.count(),
        "runs": CourseRun.objects.count(),
        "sessions": Session.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "published_bookable": CourseRun.objects.filter(
            status="published", booking_closes_at__gt=now
        ).count(),
    }


def _fill_main(name: str, scale: float) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

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
