"""Employers recorded before employment needed confirmation are carried over as confirmed links,
so that the demo district, bookings and the chamber API keep working after the upgrade."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("people", "0002_audit_and_events_to_core")]
AFTER = [("people", "0003_employment")]


@pytest.mark.django_db(transaction=True)
def test_existing_trainee_employers_become_confirmed_employments():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("people", "User")
    Business = old.get_model("people", "Business")
    Profile = old.get_model("people", "TraineeProfile")
    business = Business.objects.create(name="Tischlerei Alt")
    employed = User.objects.create(email="alt@example.org")
    private = User.objects.create(email="privat@example.org")
    Profile.objects.create(user=employed, business=business)
    Profile.objects.create(user=private, business=None)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Employment = new.get_model("people", "Employment")
    rows = list(Employment.objects.values_list("user_id", "business_id", "status", "source"))
    assert rows == [(employed.pk, business.pk, "confirmed", "migration")]

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
