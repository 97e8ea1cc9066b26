"""Keyset paging on (updated_at, id): a client that pages to the end misses no row, even while
rows change."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import Enrolment
from tests.factories import CourseRunFactory, EnrolmentFactory, TraineeProfileFactory

pytestmark = pytest.mark.django_db


def test_cursor_pages_see_every_row_while_rows_change(api, member):
    run = CourseRunFactory(capacity=50, min_participants=0)
    enrolments = [
        EnrolmentFactory(run=run, participant=TraineeProfileFactory(business=member).user)
        for _ in range(10)
    ]
    # Ties on updated_at must not lose or repeat rows across pages.
    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments[:6]]).update(
        updated_at=timezone.now() - dt.timedelta(hours=1)
    )
    seen = []
    page = api.get("/api/v1/enrolments/", {"page_size": 4}).json()
    seen += [r["id"] for r in page["results"]]
    # While the client pages: a row it has seen and one it has not yet seen change, one is added.
    Enrolment.objects.filter(pk=seen[0]).update(status="cancelled", updated_at=timezone.now())
    unseen = next(e for e in enrolments if e.pk not in seen)
    Enrolment.objects.filter(pk=unseen.pk).update(updated_at=timezone.now())
    added = EnrolmentFactory(run=run, participant=TraineeProfileFactory(business=member).user)
    cursor = page["next_cursor"]
    while cursor:
        page = api.get("/api/v1/enrolments/", {"page_size": 4, "cursor": cursor}).json()
        seen += [r["id"] for r in page["results"]]
        cursor = page["next_cursor"]
    every = {e.pk for e in enrolments} | {added.pk}
    assert set(seen) == every  # nothing skipped
    assert seen.count(seen[0]) == 2  # the changed row came again, now as cancelled
    assert page["results"][-1]["id"] in (seen[0], unseen.pk, added.pk)
