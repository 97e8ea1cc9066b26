"""The courses rules that the per-role table in tests/people/test_rules.py asks about one object
only: a run's visibility per status, and a feed's owner."""

import pytest
from django.contrib.auth.models import AnonymousUser

from courses.models import CalendarFeed, CourseRun
from tests.factories import (
    CourseRunFactory,
    SchoolFactory,
    coordinator,
    district_admin,
    instructor,
    trainee,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [s for s in CourseRun.Status.values if s != "draft"])
def test_a_public_run_is_visible_to_everyone(status):
    run = CourseRunFactory(status=status)
    for user in (AnonymousUser(), trainee(), coordinator(SchoolFactory())):
        assert user.has_perm("courses.view_run", run), (status, user)


def test_a_draft_is_visible_only_to_who_manages_its_school():
    run = CourseRunFactory(status=CourseRun.Status.DRAFT)
    assert coordinator(run.school).has_perm("courses.view_run", run)
    assert district_admin(run.school.district).has_perm("courses.view_run", run)
    for user in (AnonymousUser(), trainee(), instructor(run.school), coordinator(SchoolFactory())):
        assert not user.has_perm("courses.view_run", run), user


def test_an_instructors_feed_is_theirs_alone():
    teacher = instructor()
    feed = CalendarFeed.objects.create(token_hash="t" * 32, instructor=teacher)
    assert teacher.has_perm("courses.manage_feed", feed)
    assert not instructor().has_perm("courses.manage_feed", feed)
    assert not coordinator().has_perm("courses.manage_feed", feed)
