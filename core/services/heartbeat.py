"""The worker heartbeat: beat schedules it, a worker runs it, /readyz reads its age. A worker
that exited or stopped consuming (or a beat that stopped) leaves it ageing."""

import datetime as dt

from django.utils import timezone

from ..models import Heartbeat

WORKER = "worker"


def record_heartbeat(*, name: str = WORKER, now: dt.datetime | None = None) -> Heartbeat:
    row, _created = Heartbeat.objects.update_or_create(
        name=name, defaults={"at": now or timezone.now()}
    )
    return row


def heartbeat_age(*, name: str = WORKER, now: dt.datetime | None = None) -> dt.timedelta | None:
    """How long ago the heartbeat ran; None when it never ran (a fresh installation)."""
    at = Heartbeat.objects.filter(name=name).values_list("at", flat=True).first()
    return None if at is None else (now or timezone.now()) - at
