"""core.precompiled: a query compiled once per database answers every later call with that call's
values, its rows look exactly like the ORM's (datetimes aware, also on SQLite), and a build whose
placeholders do not all reach the SQL is refused. A prepared one (PostgreSQL) answers the same."""

import datetime as dt

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import F
from django.db.models.sql import UpdateQuery
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.precompiled import Precompiled
from people.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _joined_before(p, alias, _shape):
    return (
        User.objects.using(alias)
        .filter(pk=p.id("pk"), date_joined__lt=p.datetime("before"))
        .order_by("pk")
        .values_list("email", "date_joined")
    )


def test_each_call_uses_its_own_values_and_returns_what_the_orm_returns():
    now = timezone.now()
    old = UserFactory(date_joined=now - dt.timedelta(days=30))
    new = UserFactory(date_joined=now)
    query = Precompiled(_joined_before)
    week_ago = now - dt.timedelta(days=7)

    def rows(**values):
        return query.rows(DEFAULT_DB_ALIAS, None, **values)

    assert rows(pk=old.pk, before=week_ago) == list(
        User.objects.filter(pk=old.pk).values_list("email", "date_joined")
    )
    assert rows(pk=new.pk, before=week_ago) == []
    assert rows(pk=new.pk, before=now + dt.timedelta(seconds=1)) == [(new.email, new.date_joined)]
    assert timezone.is_aware(rows(pk=old.pk, before=now)[0][1])


def test_a_placeholder_used_twice_takes_the_one_value_of_its_name():
    UserFactory()  # an earlier id: matched if the second use kept its stand-in
    user = UserFactory()
    query = Precompiled(
        lambda p, alias, _shape: (
            User.objects.using(alias)
            .filter(pk__lte=p.id("pk"))
            .filter(pk__gte=p.id("pk"))
            .values_list("email")
        )
    )

    assert query.rows(DEFAULT_DB_ALIAS, None, pk=user.pk) == [(user.email,)]


def test_an_update_sets_the_values_of_the_call():
    user = UserFactory()
    later = timezone.now() + dt.timedelta(days=1)

    def build(p, alias, _shape):
        query = User.objects.using(alias).filter(pk=p.id("pk")).query.chain(UpdateQuery)
        query.add_update_values({"last_login": p.datetime("at")})
        return query

    Precompiled(build).execute(DEFAULT_DB_ALIAS, None, pk=user.pk, at=later)

    user.refresh_from_db()
    assert user.last_login == later


def test_a_placeholder_the_query_drops_is_refused_when_compiling():
    def build(p, alias, _shape):
        p.id("pk")  # handed out but never used: a call's value would be ignored silently
        return User.objects.using(alias).values_list("email")

    with pytest.raises(ValueError, match="pk"):
        Precompiled(build).rows(DEFAULT_DB_ALIAS, None, pk=1)


def test_a_call_missing_a_value_fails_instead_of_running_the_stand_in():
    query = Precompiled(_joined_before)

    with pytest.raises(KeyError, match="before"):
        query.rows(DEFAULT_DB_ALIAS, None, pk=1)


def test_a_text_placeholder_takes_the_text_of_the_call():
    user = UserFactory()
    query = Precompiled(
        lambda p, alias, _shape: (
            User.objects.using(alias).filter(email=p.text("email")).values_list("pk")
        )
    )

    assert query.rows(DEFAULT_DB_ALIAS, None, email=user.email) == [(user.pk,)]
    assert query.rows(DEFAULT_DB_ALIAS, None, email="niemand@example.org") == []


def _joined_before_named_like_them(p, alias, _shape):
    # `contains` against a column: the SQL itself holds a % (LIKE '%' || … || '%').
    return _joined_before(p, alias, _shape).filter(email__contains=F("last_name"))


def test_a_prepared_query_answers_each_call_as_the_orm_does_also_after_a_rollback():
    now = timezone.now()
    user = UserFactory(date_joined=now - dt.timedelta(days=30), last_name="lee")
    user.email = f"{user.pk}.lee@example.org"
    user.save()
    other = UserFactory(date_joined=now - dt.timedelta(days=30), last_name="nobody")
    prepared = Precompiled(_joined_before_named_like_them, prepared=True)

    def rows(pk):
        return prepared.rows(DEFAULT_DB_ALIAS, None, pk=pk, before=now)

    with CaptureQueriesContext(connection) as sent:
        assert rows(user.pk) == [(user.email, user.date_joined)]
        assert rows(other.pk) == []
    # One statement per call, as without preparing.
    assert len(sent.captured_queries) == 2
    if connection.vendor == "postgresql":
        assert all(q["sql"].startswith("EXECUTE ") for q in sent.captured_queries)

    # The statement outlives a rolled back transaction: it is neither lost nor prepared twice.
    with pytest.raises(RuntimeError), transaction.atomic():
        assert rows(user.pk) == [(user.email, user.date_joined)]
        raise RuntimeError
    assert rows(user.pk) == [(user.email, user.date_joined)]
