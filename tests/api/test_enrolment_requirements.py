"""The chamber API books a course that names its target group or prerequisites only with
`requirements_confirmed`, the same rule as the web (courses.services.booking.book)."""

import pytest

from courses.models import Enrolment
from tests.api.conftest import assert_problem
from tests.courses.test_booking_requirements import demanding_run
from tests.factories import TraineeProfileFactory

pytestmark = pytest.mark.django_db


def test_chamber_api_takes_the_same_confirmation(api, member):
    run = demanding_run()
    TraineeProfileFactory(business=member, lehrlingsrolle_number="LR-9")
    course = api.get(f"/api/v1/courses/{run.course_id}/").json()
    assert course["requires_confirmation"] is True
    body = assert_problem(
        api.post("/api/v1/enrolments/", {"run": run.pk, "trainee": "LR-9"}, format="json"),
        422,
    )
    assert body["code"] == "requirements_not_confirmed"
    assert body["errors"][0]["field"] == "requirements_confirmed"
    booked = api.post(
        "/api/v1/enrolments/",
        {"run": run.pk, "trainee": "LR-9", "requirements_confirmed": True},
        format="json",
    )
    assert booked.status_code == 201, booked.content
    assert Enrolment.objects.get().requirements_confirmed_at is not None
