"""Every e-mail of demand is written into the outbox in the transaction of the change it reports
(a published run, an answered request, an expiring interest, a completed run's feedback): when
the broker is down or the process dies right after the commit, beat's outbox sweep still sends
each one, once. The tests run no on-commit callbacks: exactly what a process killed after the
commit leaves behind."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.models import OutboxEmail
from core.services.outbox import deliver_due_emails
from courses.services.planning import publish_run
from demand.models import InterestNotification
from demand.services.interest import interest_register, interests_remind_expiring
from demand.services.requests import request_answer
from tests.factories import CourseFactory, coordinator, trainee

from .fixtures import draft_run
from .test_requests import _request

pytestmark = pytest.mark.django_db


def _sweep() -> int:
    return deliver_due_emails(now=timezone.now() + dt.timedelta(minutes=5))


def test_interest_notifications_commit_with_the_publication_and_the_sweep_sends_them():
    course = CourseFactory()
    interested = [trainee(), trainee()]
    for user in interested:
        interest_register(user=user, course=course)
    run = draft_run(course)
    publish_run(run=run, actor=coordinator(course.school))

    assert InterestNotification.objects.filter(run=run, sent_at__isnull=False).count() == 2
    assert OutboxEmail.objects.filter(status="pending").count() == 2
    assert mail.outbox == []
    assert _sweep() == 2
    assert _sweep() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in interested)


def test_a_publication_rolled_back_tells_nobody():
    from django.db import transaction

    course = CourseFactory()
    interest_register(user=trainee(), course=course)
    run = draft_run(course)
    with pytest.raises(RuntimeError), transaction.atomic():
        publish_run(run=run, actor=coordinator(course.school))
        raise RuntimeError("rolled back")
    assert not InterestNotification.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_a_request_answer_and_an_expiry_reminder_are_in_the_outbox_at_once():
    course_request = _request(school=None)
    request_answer(course_request=course_request, actor=coordinator(), answer="Gern im Mai.")
    user = trainee()
    interest = interest_register(user=user, course=CourseFactory())
    assert interests_remind_expiring(now=interest.expires_at - dt.timedelta(days=1)) == 1

    assert _sweep() == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "Gern im Mai." in by_recipient[course_request.requested_by.email].body
    assert user.email in by_recipient
