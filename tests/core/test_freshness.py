"""A cached answer is served while the tables it reads are unchanged: a new stamp, a delete or
an unstamped save makes the next reader build it again, and an answer is never stored while a
change stamped before the newest one may still commit."""

import datetime as dt

import pytest
from django.utils import timezone

from core.freshness import cached_while_unchanged, latest_stamps, note_unstamped_change
from core.models import UnstampedChange
from people.models import School
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def _age(model=School):
    past = timezone.now() - dt.timedelta(hours=1)
    model.objects.update(updated_at=past)
    UnstampedChange.objects.update(at=past)


def _names():
    builds = []

    def build():
        builds.append(1)
        return sorted(School.objects.values_list("name", flat=True))

    def read():
        return cached_while_unchanged("schools", (School,), build)

    return read, builds


def test_an_answer_is_built_once_while_its_tables_are_unchanged():
    SchoolFactory(name="Berufsschule Nord")
    _age()
    read, builds = _names()
    assert read() == ["Berufsschule Nord"]
    assert read() == ["Berufsschule Nord"]
    assert len(builds) == 1


def test_a_saved_row_is_seen_at_once_and_cached_again_once_settled():
    school = SchoolFactory(name="Berufsschule Nord")
    _age()
    read, builds = _names()
    read()
    school.name = "Berufsschule Süd"
    school.save()
    # Stamped just now: shown, but not stored while an earlier writer might still commit.
    assert read() == ["Berufsschule Süd"]
    assert read() == ["Berufsschule Süd"]
    assert len(builds) == 3
    _age()
    read()
    read()
    assert len(builds) == 4


def test_a_delete_stamps_nothing_but_is_seen():
    SchoolFactory(name="Berufsschule Nord")
    gone = SchoolFactory(name="Berufsschule Ost")
    _age()
    read, _builds = _names()
    assert read() == ["Berufsschule Nord", "Berufsschule Ost"]
    School.objects.filter(pk=gone.pk).delete()  # a queryset delete: no new stamp anywhere
    note_unstamped_change(School)  # what the catalogue's post_delete receivers do
    assert read() == ["Berufsschule Nord"]


def test_a_change_is_noted_once_per_transaction_and_table():
    note_unstamped_change(School)
    note_unstamped_change(School)
    note_unstamped_change(UnstampedChange)
    assert UnstampedChange.objects.count() == 2


def test_the_newest_stamps_and_the_horizon_come_in_one_statement(django_assert_num_queries):
    SchoolFactory()
    with django_assert_num_queries(1):
        horizon, stamps = latest_stamps((School, UnstampedChange))
    assert stamps[0] is not None and stamps[1] is None
    assert horizon < timezone.now()
