"""A chamber subscribes to `enrolment.completed` through the API, and a run completed (the
attendance of every session recorded) reaches its receiver, also when the process died between
the commit and the hand-off and the event is most of a day old: the recovery sweep looks back as
long as deliveries are retried."""

import datetime as dt

import pytest
from django.utils import timezone

from api import tasks
from core.models import DomainEvent
from courses.models import Attendance, Enrolment
from courses.services.completion import complete_run
from tests.api.test_webhook_recovery import Receiver
from tests.courses.booking_fixtures import make_run
from tests.factories import coordinator, trainee

pytestmark = pytest.mark.django_db


def test_enrolment_completed_is_subscribed_and_delivered_a_day_late(api, member, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    run = make_run(day=-5, sessions=2)
    enrolment = Enrolment.objects.create(
        run=run, participant=trainee(), participant_name="T", status="confirmed", business=member
    )
    for session in run.sessions.all():
        Attendance.objects.create(enrolment=enrolment, session=session, status="present")
    with Receiver() as receiver:
        created = api.post(
            "/api/v1/webhooks/",
            {"url": receiver.url, "events": ["enrolment.completed"]},
            format="json",
        )
        assert created.status_code == 201, created.content
        assert created.json()["events"] == ["enrolment.completed"]
        # The test transaction runs no on-commit hand-off: as if the process died after it.
        complete_run(run=run, actor=coordinator(run.school))
        event = DomainEvent.objects.get(type="enrolment.completed")
        DomainEvent.objects.filter(pk=event.pk).update(
            created_at=timezone.now() - dt.timedelta(hours=23)
        )
        tasks.deliver_due()
        tasks.deliver_due()
    assert [(b["type"], b["data"]["id"]) for b in receiver.bodies] == [
        ("enrolment.completed", enrolment.pk)
    ]
