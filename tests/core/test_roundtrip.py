"""core.roundtrip: statements sent together run in the order they were added, inserts write what
save() writes and give the instance its pk, reserved ids can be inserted, and (PostgreSQL) a
statement after one that waited for a row lock sees what the lock's holder committed."""

import threading

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.test.utils import CaptureQueriesContext

from core.models import AuditEntry, DomainEvent
from core.precompiled import Precompiled
from core.roundtrip import RoundTrip
from people.models import User
from tests.factories import UserFactory


def _entries_of(p, alias, _shape):
    return (
        AuditEntry.objects.using(alias)
        .filter(actor_id=p.id("actor"))
        .order_by("pk")
        .values_list("action", "object_id")
    )


_entries = Precompiled(_entries_of)


def _lock_user_query(p, alias, _shape):
    return User.objects.using(alias).select_for_update().filter(pk=p.id("user")).values_list("pk")


_lock_user = Precompiled(_lock_user_query)


@pytest.mark.django_db
def test_statements_run_in_order_in_one_round_trip_where_the_database_allows_it(is_postgres):
    user = UserFactory()
    with transaction.atomic():
        trip = RoundTrip(DEFAULT_DB_ALIAS)
        before = trip.rows(_entries, None, actor=user.pk)
        entry = AuditEntry(actor=user, action="a.b", object_type="people.user", object_id="7")
        trip.insert(entry)
        after = trip.rows(_entries, None, actor=user.pk)
        with CaptureQueriesContext(connection) as queries:
            trip.run()
    assert before == [] and after == [("a.b", "7")]
    assert entry.pk == AuditEntry.objects.get().pk
    assert not entry._state.adding
    assert len(queries) == (1 if is_postgres else 3)
    trip.run()  # nothing left to send


@pytest.mark.django_db
def test_an_insert_writes_what_save_writes():
    user = UserFactory()
    payload = {"id": 3, "status": "confirmed", "when": None, "name": 'Jürgen "J" 100%'}
    saved = DomainEvent.objects.create(type="enrolment.created", payload=payload, chamber=None)
    with transaction.atomic():
        trip = RoundTrip(DEFAULT_DB_ALIAS)
        sent = DomainEvent(type="enrolment.created", payload=payload, chamber=None)
        trip.insert(sent)
        entry = AuditEntry(actor=user, action="x.y", object_type="t", object_id="1", data={})
        trip.insert(entry)
        trip.run()

    def stored(event):
        row = DomainEvent.objects.filter(pk=event.pk).values().get()
        return {k: v for k, v in row.items() if k not in ("id", "event_id", "created_at")}

    assert stored(sent) == stored(saved)
    assert DomainEvent.objects.get(pk=sent.pk).event_id == sent.event_id
    assert DomainEvent.objects.get(pk=sent.pk).created_at == sent.created_at
    assert AuditEntry.objects.get(pk=entry.pk).actor == user


@pytest.mark.django_db
def test_reserved_ids_can_be_inserted_on_postgres_and_are_none_elsewhere(is_postgres):
    with transaction.atomic():
        trip = RoundTrip(DEFAULT_DB_ALIAS)
        ids = trip.reserve_ids(AuditEntry, 2)
        trip.run()
        if not is_postgres:
            assert ids == []
            return
        assert ids == sorted(set(ids)) and len(ids) == 2
        trip.insert(AuditEntry(pk=ids[1], action="a", object_type="t", object_id="1"))
        trip.insert(AuditEntry(action="b", object_type="t", object_id="2"))
        trip.run()
    assert AuditEntry.objects.get(pk=ids[1]).action == "a"
    assert AuditEntry.objects.get(action="b").pk > ids[1]  # the sequence went on past them


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_after_a_waited_for_lock_sees_what_the_holder_committed():
    """Why a count under a lock is a statement of its own: one statement with both would count
    with a snapshot taken before the wait and miss the holder's row."""
    user = UserFactory()
    holding, done = threading.Event(), threading.Event()

    def holder():
        try:
            with transaction.atomic():
                _lock_user.rows(DEFAULT_DB_ALIAS, None, user=user.pk)
                AuditEntry.objects.create(
                    actor_id=user.pk, action="held", object_type="t", object_id="1"
                )
                holding.set()
                done.wait(timeout=2)  # the other transaction queues on the lock meanwhile
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    holding.wait(timeout=10)
    threading.Timer(0.3, done.set).start()
    with transaction.atomic():
        trip = RoundTrip(DEFAULT_DB_ALIAS)
        trip.rows(_lock_user, None, user=user.pk)
        seen = trip.rows(_entries, None, actor=user.pk)
        trip.run()
    thread.join()
    assert seen == [("held", "1")]


@pytest.mark.django_db
def test_a_model_with_save_receivers_is_not_inserted_behind_their_back():
    from django.db.models.signals import post_save

    def receiver(**kwargs):
        pass

    post_save.connect(receiver, sender=AuditEntry, weak=False)
    try:
        with pytest.raises(ValueError, match="save signal receivers"):
            RoundTrip(DEFAULT_DB_ALIAS).insert(
                AuditEntry(action="a", object_type="t", object_id="1")
            )
    finally:
        post_save.disconnect(receiver, sender=AuditEntry)


def _seen_elsewhere(action: str) -> bool:
    """Whether another connection (another request) sees the row: only once it is committed."""
    import psycopg
    from django.db import connections

    params = connections[DEFAULT_DB_ALIAS].get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as other:
        table = AuditEntry._meta.db_table
        sql = f"SELECT count(*) FROM {table} WHERE action = %s"  # noqa: S608 - our table's name
        return other.execute(sql, [action]).fetchone()[0] == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_last_statements_of_a_transaction_commit_with_it_in_one_round_trip():
    """The row locks end with that round trip: another connection sees the rows while the block
    has not even exited."""
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        trip = RoundTrip(DEFAULT_DB_ALIAS)
        trip.insert(AuditEntry(action="last", object_type="t", object_id="1"))
        trip.run(last=True)
        assert _seen_elsewhere("last")
    [batch] = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert batch.rstrip().endswith("COMMIT")
    assert AuditEntry.objects.filter(action="last").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_last_statements_of_a_nested_block_leave_the_commit_to_the_outer_one():
    with transaction.atomic():
        with transaction.atomic():
            trip = RoundTrip(DEFAULT_DB_ALIAS)
            trip.insert(AuditEntry(action="nested", object_type="t", object_id="1"))
            trip.run(last=True)
        assert not _seen_elsewhere("nested")
        transaction.set_rollback(True)
    assert not AuditEntry.objects.filter(action="nested").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_failing_statement_before_the_commit_rolls_everything_back():
    from django.db import IntegrityError

    taken = AuditEntry.objects.create(action="taken", object_type="t", object_id="0")
    with pytest.raises(IntegrityError), transaction.atomic():
        trip = RoundTrip(DEFAULT_DB_ALIAS)
        trip.insert(AuditEntry(action="first", object_type="t", object_id="1"))
        trip.insert(AuditEntry(pk=taken.pk, action="again", object_type="t", object_id="2"))
        trip.run(last=True)
    assert not AuditEntry.objects.filter(action="first").exists()
    assert not _seen_elsewhere("first")
    # The connection is usable afterwards, in autocommit as before the block.
    assert AuditEntry.objects.create(action="after", object_type="t", object_id="2").pk
