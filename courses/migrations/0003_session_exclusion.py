"""PostgreSQL only: scheduled sessions never overlap in one workshop, nor for one instructor,
enforced by the database (exclusion constraints over time ranges, btree_gist) so that two
coordinators saving at the same moment cannot both win. SQLite relies on the planning service's
check inside its (IMMEDIATE, hence serialised) transaction."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE courses_session ADD CONSTRAINT session_no_workshop_overlap
       EXCLUDE USING gist (workshop_id WITH =, tstzrange(start, "end") WITH &&)
       WHERE (status = 'scheduled')""",
    """ALTER TABLE courses_session ADD CONSTRAINT session_no_instructor_overlap
       EXCLUDE USING gist (instructor_id WITH =, tstzrange(start, "end") WITH &&)
       WHERE (status = 'scheduled' AND instructor_id IS NOT NULL)""",
]
BACKWARD = [
    "ALTER TABLE courses_session DROP CONSTRAINT IF EXISTS session_no_instructor_overlap",
    "ALTER TABLE courses_session DROP CONSTRAINT IF EXISTS session_no_workshop_overlap",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("courses", "0002_initial"), ("workshops", "0003_reservation_exclusion")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
