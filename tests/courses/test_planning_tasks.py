"""The daily check for runs below their minimum number of participants."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseRun
from courses.selectors import runs_below_minimum
from courses.tasks.planning import flag_runs_below_minimum
from tests.courses.planning_fixtures import make_plan
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _published(plan, *, starts_in_days, confirmed, minimum=4):
    run = plan.run
    run.status = CourseRun.Status.PUBLISHED
    run.min_participants = minimum
    run.starts_at = timezone.now() + dt.timedelta(days=starts_in_days)
    run.ends_at = run.starts_at + dt.timedelta(hours=4)
    run.save()
    for _ in range(confirmed):
        EnrolmentFactory(run=run)
    return run


def test_runs_short_of_minimum_are_flagged_once_and_coordinators_mailed(
    settings, client, django_capture_on_commit_callbacks
):
    settings.MIN_PARTICIPANTS_CHECK_DAYS = 7
    short = make_plan(units=0)
    run = _published(short, starts_in_days=5, confirmed=2)
    full = _published(make_plan(units=0), starts_in_days=5, confirmed=4)
    far = _published(make_plan(units=0), starts_in_days=30, confirmed=0)

    with django_capture_on_commit_callbacks(execute=True):
        assert flag_runs_below_minimum() == 1
    run.refresh_from_db()
    assert run.min_participants_flagged_at is not None
    for other in (full, far):
        other.refresh_from_db()
        assert other.min_participants_flagged_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [short.coordinator.email]
    assert run.course.title in mail.outbox[0].subject
    assert "2 bestätigte Anmeldungen" in mail.outbox[0].body

    # idempotent: the second run of the day sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert flag_runs_below_minimum() == 0
    assert len(mail.outbox) == 1

    assert [r.pk for r in runs_below_minimum([short.school.pk])] == [run.pk]
    client.force_login(short.coordinator)
    dashboard = client.get(reverse("courses:staff_dashboard")).content.decode()
    assert "Mindestteilnehmerzahl nicht erreicht" in dashboard and run.course.title in dashboard
    assert "2 von mindestens 4" in dashboard
