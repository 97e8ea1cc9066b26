"""core.compiled: a queryset compiled once per database answers every later run with that run's
values, and its rows look exactly like the ORM's (datetimes aware, also on SQLite)."""

import datetime as dt

import pytest
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from core.compiled import compiled_query
from people.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _joined_before(p):
    return (
        User.objects.filter(pk=p.id("pk"), date_joined__lt=p.datetime("before"))
        .order_by("pk")
        .values_list("email", "date_joined")
    )


def test_each_run_uses_its_own_values_and_returns_what_the_orm_returns():
    now = timezone.now()
    old = UserFactory(date_joined=now - dt.timedelta(days=30))
    new = UserFactory(date_joined=now)
    query = compiled_query(("test", "joined_before"), DEFAULT_DB_ALIAS, _joined_before)
    week_ago = now - dt.timedelta(days=7)

    assert query.rows(pk=old.pk, before=week_ago) == list(
        User.objects.filter(pk=old.pk).values_list("email", "date_joined")
    )
    assert query.rows(pk=new.pk, before=week_ago) == []
    assert query.rows(pk=new.pk, before=now + dt.timedelta(seconds=1)) == [
        (new.email, new.date_joined)
    ]
    assert timezone.is_aware(query.rows(pk=old.pk, before=now)[0][1])


def test_a_placeholder_the_query_drops_is_refused_when_compiling():
    def build(p):
        p.id("pk")  # handed out but never used: a run's value would be ignored silently
        return User.objects.values_list("email")

    with pytest.raises(ValueError, match="pk"):
        compiled_query(("test", "dropped"), DEFAULT_DB_ALIAS, build)
