"""PostgreSQL only: active reservations of one item never overlap, enforced by the database so that
two coordinators reserving at the same moment cannot both win. SQLite relies on the service check
inside its (IMMEDIATE, hence serialised) transaction."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE workshops_equipmentreservation ADD CONSTRAINT reservation_no_overlap
       EXCLUDE USING gist (equipment_id WITH =, tstzrange(start, "end") WITH &&)
       WHERE (is_active)""",
]
BACKWARD = ["ALTER TABLE workshops_equipmentreservation DROP CONSTRAINT IF EXISTS reservation_no_overlap"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("workshops", "0002_maintenance_notice")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
