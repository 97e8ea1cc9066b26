"""api.selectors: one query per list, however many rows."""

import pytest

from tests.factories import (
    CourseRunFactory,
    EnrolmentFactory,
    SessionFactory,
    TraineeProfileFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n", [3, 12])
def test_lists_run_a_fixed_number_of_queries(api, member, django_assert_max_num_queries, n):
    for _ in range(n):
        run = CourseRunFactory(capacity=30, min_participants=0)
        SessionFactory(run=run)
        EnrolmentFactory(run=run, participant=TraineeProfileFactory(business=member).user)
    # auth (key lookup, last-used update) + the list itself (+ prefetch of sessions for runs)
    # + the change horizon of the cursor (one query on PostgreSQL: the oldest open transaction)
    for path in ("/api/v1/runs/", "/api/v1/enrolments/", "/api/v1/trainees/", "/api/v1/courses/"):
        with django_assert_max_num_queries(5):
            assert api.get(path, {"page_size": 50}).status_code == 200
