"""The coordinator's completion review: complete the run, then correct one outcome."""

import pytest

from courses.models import Attendance, Enrolment
from tests.courses.booking_fixtures import make_run
from tests.factories import SchoolFactory, coordinator, trainee

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_coordinator_completes_and_corrects(client):
    run = make_run(day=-5, sessions=1)
    a = Enrolment.objects.create(
        run=run, participant=trainee(), participant_name="A", status="confirmed"
    )
    Attendance.objects.create(enrolment=a, session=run.sessions.get(), status="present")
    b = Enrolment.objects.create(
        run=run, participant=trainee(), participant_name="B", status="confirmed"
    )
    url = f"/staff/completion/runs/{run.pk}/"
    client.force_login(coordinator(SchoolFactory()))
    assert client.get(url).status_code == 403  # a run is no secret: "not for you", not "not found"
    client.force_login(coordinator(run.school))
    client.post(url, {"action": "complete", "close_missing": "1"})  # b has no entry
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("completed", "no_show")
    client.post(url, {"enrolment": b.pk, "status": "not_completed", "reason": "kam verspätet"})
    b.refresh_from_db()
    assert b.status == "not_completed"
    assert "nicht abgeschlossen" in html(client.get(url))
