"""Reminders (services/reminders.py): two days ahead, to confirmed participants, never twice."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import CourseRun
from courses.services.booking.book import book
from courses.services.reminders import send_reminders
from tests.courses.booking_fixtures import make_run, verified_trainee

pytestmark = pytest.mark.django_db


def test_reminder_two_days_before_and_never_twice(mailoutbox, django_capture_on_commit_callbacks):
    soon = make_run(day=1, sessions=1)  # starts tomorrow 08:00
    CourseRun.objects.filter(pk=soon.pk).update(
        booking_opens_at=timezone.now() - dt.timedelta(days=5),
        booking_closes_at=timezone.now() + dt.timedelta(hours=1),
        cancellation_deadline=timezone.now(),
    )
    later = make_run(day=10, sessions=1)
    near, far = verified_trainee(user__language="en"), verified_trainee()
    book(run=soon, participant=near)
    book(run=later, participant=far)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 0
    (mail,) = mailoutbox
    assert mail.to == [near.email]
    assert mail.subject.endswith(f"Reminder: {soon.course.title} starts soon")
    assert "starts in two days" in mail.body
