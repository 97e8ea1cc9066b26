"""Due work done by beat on its short smoke schedule (CELERY_BEAT_EVERY_SECONDS), each observed
in the database or at the receiver, not only "beat is alive": an expired approval hold released,
a webhook that failed once retried and delivered, a reminder e-mail sent through the outbox."""

import json
import time

from .receiver import Receiver
from .report import check, expect
from .stack import CHAMBER, Smoke

EXPIRE_A_HOLD = """
import datetime as dt
from django.utils import timezone
from courses.models import Enrolment
held = Enrolment.objects.filter(status="pending").order_by("pk").first()
Enrolment.objects.filter(pk=held.pk).update(hold_until=timezone.now() - dt.timedelta(minutes=1))
print(held.pk)
"""

STATUS = """
from courses.models import Enrolment
print(Enrolment.objects.get(pk={pk}).status)
"""

DUE_REMINDER = """
import datetime as dt
from django.utils import timezone
from courses.models import CourseRun, Enrolment
enrolment = (
    Enrolment.objects.filter(status="confirmed", run__status="published", participant__isnull=False)
    .exclude(participant__email="").order_by("pk").first()
)
tomorrow = timezone.now() + dt.timedelta(days=1)
CourseRun.objects.filter(pk=enrolment.run_id).update(starts_at=tomorrow)
Enrolment.objects.filter(run_id=enrolment.run_id).update(reminder_sent_at=timezone.now())
Enrolment.objects.filter(pk=enrolment.pk).update(reminder_sent_at=None)
print(enrolment.pk, enrolment.participant.email)
"""

REMINDER_SENT = """
from core.models import OutboxEmail
from courses.models import Enrolment
reminded = Enrolment.objects.get(pk={pk}).reminder_sent_at is not None
sent = OutboxEmail.objects.filter(to=["{email}"], status="sent", sent_at__isnull=False)
print(reminded, sent.filter(created_at__gte="{since}").count())
"""

EVENT = """
from core.events import record_event
from people.models import Chamber
chamber = Chamber.objects.get(code="{chamber}")
event = record_event(type="run.cancelled", payload={{"id": 0}}, chamber_id=chamber.pk)
print(event.event_id)
"""

DELIVERY = """
from api.models import WebhookDelivery
d = WebhookDelivery.objects.get(event__event_id="{event}")
print(d.status, d.attempts)
"""


def _poll(smoke: Smoke, code: str, done, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    out = ""
    while time.monotonic() < deadline:
        out = smoke.shell(code)
        if done(out):
            return out
        time.sleep(2)
    return out


def due_work(smoke: Smoke, flaky_port: int) -> None:
    with check("beat releases an expired approval hold"):
        held = smoke.shell(EXPIRE_A_HOLD)
        status = _poll(smoke, STATUS.format(pk=held), lambda out: out != "pending")
        expect(status in {"cancelled", "expired", "released"} or status != "pending", status)

    with check("beat sends a due reminder through the e-mail outbox"):
        since = smoke.shell("from django.utils import timezone; print(timezone.now().isoformat())")
        pk, email = smoke.shell(DUE_REMINDER).split()
        code = REMINDER_SENT.format(pk=pk, email=email, since=since)
        out = _poll(smoke, code, lambda out: out.split()[0] == "True" and out.split()[1] != "0")
        expect(out.split()[0] == "True", f"not reminded: {out}")
        expect(out.split()[1] != "0", f"reminder e-mail not sent: {out}")

    with (
        Receiver(flaky_port, fail_first=1) as receiver,
        check("a webhook that failed once is retried by beat and delivered"),
    ):
        status, data = smoke.api(
            "POST",
            "/api/v1/webhooks/",
            {"url": f"http://127.0.0.1:{flaky_port}/hook", "events": ["run.cancelled"]},
        )
        expect(status == 201, f"HTTP {status}: {data}")
        event = smoke.shell(EVENT.format(chamber=CHAMBER))
        out = _poll(
            smoke, DELIVERY.format(event=event), lambda out: out.startswith("delivered"), 120
        )
        expect(out.startswith("delivered"), f"delivery: {out}")
        ids = [json.loads(r["body"])["id"] for r in receiver.requests]
        expect(ids == [event, event], f"receiver saw {ids}")
