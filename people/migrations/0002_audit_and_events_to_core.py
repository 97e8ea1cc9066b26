# AuditEntry and DomainEvent moved to `core` with their tables: only Django's state changes.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0001_initial"),
        ("core", "0001_initial"),
        ("api", "0003_event_in_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="AuditEntry"),
                migrations.DeleteModel(name="DomainEvent"),
            ],
        ),
    ]
