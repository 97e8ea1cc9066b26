"""The change feed under concurrent writers: a change stamped earlier but committed after a
later-stamped one is not skipped by a client that synced in between (two real transactions on
two PostgreSQL connections)."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from people.models import Business
from tests.factories import BusinessFactory

from .conftest import sync

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _names(rows):
    return {row["name"] for row in rows}


def test_a_late_committing_change_is_not_skipped_by_the_next_sync(api, chamber):
    early = BusinessFactory(chamber=chamber, member_number="A-1", name="Früh")
    late = BusinessFactory(chamber=chamber, member_number="A-2", name="Spät")
    _rows, cursor = sync(api, "/api/v1/businesses/")

    stamped, release, done = threading.Event(), threading.Event(), threading.Event()

    def slow_writer():
        # Its own connection: stamps "Früh" first, then stays open until told to commit.
        try:
            with transaction.atomic():
                business = Business.objects.select_for_update().get(pk=early.pk)
                business.name = "Früh geändert"
                business.save()
                stamped.set()
                release.wait(10)
        finally:
            connection.close()
            done.set()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert stamped.wait(10)
    # A second writer, stamped later, commits first.
    Business.objects.filter(pk=late.pk).update(name="Spät geändert")
    late.refresh_from_db()
    late.save()  # auto_now: a stamp after the slow writer's
    first, cursor = sync(api, "/api/v1/businesses/", cursor=cursor)
    assert "Spät geändert" in _names(first)
    assert "Früh geändert" not in _names(first)  # not committed yet

    release.set()
    assert done.wait(10)
    writer.join()
    second, _cursor = sync(api, "/api/v1/businesses/", cursor=cursor)
    assert "Früh geändert" in _names(second)


def test_the_horizon_follows_the_oldest_open_transaction():
    from django.utils import timezone

    from api.selectors import HORIZON_MARGIN, change_horizon

    opened, release = threading.Event(), threading.Event()
    started = timezone.now()

    def holder():
        try:
            with transaction.atomic():
                Business.objects.count()
                opened.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    assert opened.wait(10)
    assert change_horizon() <= started  # held back by the open transaction
    release.set()
    thread.join()
    assert change_horizon() > timezone.now() - HORIZON_MARGIN - dt.timedelta(seconds=1)
