# AuditEntry and DomainEvent moved here from `people`; their tables stay where they are, so this
# migration changes only Django's state (people.0002 removes them from the people app's state).

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("people", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("action", models.CharField(db_index=True, max_length=64)),
                        ("object_type", models.CharField(max_length=64)),
                        ("object_id", models.CharField(max_length=64)),
                        ("data", models.JSONField(blank=True, default=dict)),
                        ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "Protokolleintrag",
                        "verbose_name_plural": "Protokoll",
                        "db_table": "people_auditentry",
                        "ordering": ["-at"],
                        "indexes": [models.Index(fields=["object_type", "object_id"], name="people_audi_object__a25e1f_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="DomainEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("event_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("type", models.CharField(db_index=True, max_length=40)),
                        ("payload", models.JSONField(default=dict)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("chamber", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="people.chamber")),
                    ],
                    options={
                        "verbose_name": "Ereignis",
                        "verbose_name_plural": "Ereignisse",
                        "db_table": "people_domainevent",
                        "ordering": ["created_at", "id"],
                    },
                ),
            ],
        ),
    ]
