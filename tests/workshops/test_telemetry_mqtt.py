"""The ingest loop against the real Mosquitto broker (127.0.0.1:1883; `.ci/run` starts it):
readings published by a machine change its operating hours, a lasting error marks it defective
and moves its reservations, a bad message is counted and the loop goes on, and a broker restart
is survived. The loop runs in the test's thread; paho receives on its own."""

import datetime as dt
import shutil
import socket
import subprocess
import time
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.courses.planning_fixtures import make_plan
from tests.timeutils import day_at
from workshops.models import (
    Equipment,
    EquipmentReservation,
    EquipmentTelemetry,
    MaintenanceSchedule,
    TelemetryReading,
    TelemetryRejection,
)
from workshops.selectors import due_and_overdue
from workshops.services.reservations import reserve_items

from .mqtt_helpers import Publisher, broker_up, make_ingestor, wait_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def ingestor():
    assert broker_up(), "Mosquitto is not running on 127.0.0.1:1883 (.ci/run starts it)"
    ingest = make_ingestor()
    ingest.start()
    assert ingest.subscribed.wait(10), "the ingest client did not subscribe"
    yield ingest
    ingest.stop()


@pytest.fixture
def publisher():
    pub = Publisher()
    yield pub
    pub.close()


def ts(minutes_ago: float = 0) -> str:
    return (timezone.now() - dt.timedelta(minutes=minutes_ago)).isoformat()


def test_published_counters_update_operating_hours_and_bring_maintenance_due(ingestor, publisher):
    plan = make_plan(units=1)
    item = plan.printers[0]
    MaintenanceSchedule.objects.create(
        school=plan.school, equipment=item, kind="inspection", interval_hours=50
    )
    assert not [d for d in due_and_overdue([plan.school.pk]) if d.interval_hours]
    before = Equipment.objects.get(pk=item.pk).updated_at
    base = ingestor.state.prefix
    publisher.send(
        f"{base}/{item.inventory_number}/counters", {"ts": ts(), "operating_hours": 55.5}
    )
    publisher.send(f"{base}/{item.inventory_number}/energy", {"ts": ts(), "energy_kwh": 12.25})
    publisher.send(f"{base}/{item.inventory_number}/state", {"ts": ts(), "state": "busy"})

    assert wait_for(
        lambda: TelemetryReading.objects.filter(equipment=item).count() == 3, step=ingestor.pump
    )
    item.refresh_from_db()
    assert item.operating_hours == Decimal("55.5")
    # The equipment row was not saved (no change handlers): only its counter column moved.
    assert item.updated_at == before
    duty = [d for d in due_and_overdue([plan.school.pk]) if d.interval_hours][0]
    assert duty.state == "overdue"
    summary = EquipmentTelemetry.objects.get(pk=item.pk)
    assert (summary.state, summary.energy_kwh) == ("busy", Decimal("12.250"))
    # A lower counter (a replaced board) never winds the hours back.
    publisher.send(f"{base}/{item.inventory_number}/counters", {"ts": ts(), "operating_hours": 3})
    assert wait_for(
        lambda: TelemetryReading.objects.filter(equipment=item).count() == 4, step=ingestor.pump
    )
    item.refresh_from_db()
    assert item.operating_hours == Decimal("55.5")


def test_lasting_error_marks_item_defective_moves_reservations_and_tells_coordinator(
    ingestor, publisher, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TELEMETRY_ERROR_MINUTES = 15
    plan = make_plan(units=3)
    broken, spare, short = plan.printers
    (reservation,) = reserve_items(
        items=[broken],
        start=day_at(7, 8),
        end=day_at(7, 12),
        actor=None,
        kind=EquipmentReservation.Kind.SESSION,
    )
    base = ingestor.state.prefix
    publisher.send(
        f"{base}/{broken.inventory_number}/state", {"ts": ts(20), "state": "error", "code": "E12"}
    )
    publisher.send(f"{base}/{short.inventory_number}/state", {"ts": ts(2), "state": "error"})
    with django_capture_on_commit_callbacks(execute=True):
        assert wait_for(lambda: TelemetryReading.objects.count() == 2, step=ingestor.pump)
        ingestor.escalate()

    broken.refresh_from_db()
    short.refresh_from_db()
    assert broken.status == Equipment.Status.DEFECTIVE
    assert "Telemetrie" in broken.notes
    assert short.status == Equipment.Status.AVAILABLE  # an error of 2 minutes is not a defect yet
    reservation.refresh_from_db()
    assert reservation.equipment_id == spare.pk
    assert [m.to for m in mailoutbox] == [[plan.coordinator.email]]
    assert broken.inventory_number in mailoutbox[0].subject
    assert "umgelegt" in mailoutbox[0].body

    # Reported once: the next check does not mark or mail again.
    ingestor.escalate()
    assert len(mailoutbox) == 1


def test_bad_and_unknown_messages_are_counted_and_the_loop_goes_on(ingestor, publisher):
    plan = make_plan(units=1)
    item = plan.printers[0]
    base = ingestor.state.prefix
    publisher.send(f"{base}/{item.inventory_number}/state", b"\xff not json")
    publisher.send(f"{base}/{item.inventory_number}/state", {"state": "busy"})  # no timestamp
    publisher.send(f"{base}/{item.inventory_number}/state", {"ts": ts(), "state": "exploded"})
    publisher.send(
        f"{base}/{item.inventory_number}/counters", {"ts": ts(), "operating_hours": "NaN"}
    )
    publisher.send(f"{base}/NO-SUCH-ITEM/state", {"ts": ts(), "state": "idle"})
    publisher.send(f"{base}/NO-SUCH-ITEM/energy", {"ts": ts(), "energy_kwh": 1})
    publisher.send(f"{base}/{item.inventory_number}/state", {"ts": ts(), "state": "idle"})

    assert wait_for(lambda: ingestor.totals.stored == 1, step=ingestor.pump)
    assert ingestor.totals.malformed == 4
    assert ingestor.totals.unknown == 2
    counts = {(r.reason, r.key): r.count for r in TelemetryRejection.objects.all()}
    assert counts[("unknown", "NO-SUCH-ITEM")] == 2
    assert counts[("malformed", "json")] == 1
    assert counts[("malformed", "timestamp")] == 1
    assert counts[("malformed", "value")] == 2
    assert not Equipment.objects.filter(inventory_number="NO-SUCH-ITEM").exists()
    assert TelemetryReading.objects.get().state == "idle"


def test_octoprint_messages_count_print_time_and_state(ingestor, publisher):
    plan = make_plan(units=1)
    item = plan.printers[0]
    base = f"{ingestor.state.octoprint_prefix}/{item.inventory_number}"
    stamp = int(time.time())
    publisher.send(
        f"{base}/event/PrintStarted",
        {"_timestamp": stamp, "_event": "PrintStarted", "name": "case.gcode"},
    )
    publisher.send(
        f"{base}/progress/printing",
        {"_timestamp": stamp, "progress": 42, "path": "case.gcode", "location": "local"},
    )
    publisher.send(
        f"{base}/temperature/tool0", {"_timestamp": stamp, "actual": 214.8, "target": 215.0}
    )
    publisher.send(
        f"{base}/temperature/chamber", {"_timestamp": stamp, "actual": None, "target": None}
    )
    publisher.send(f"{base}/event/ClientOpened", {"_timestamp": stamp, "_event": "ClientOpened"})
    publisher.send(
        f"{base}/event/PrintDone", {"_timestamp": stamp + 1, "_event": "PrintDone", "time": 5400}
    )

    assert wait_for(
        lambda: TelemetryReading.objects.filter(equipment=item).count() == 4, step=ingestor.pump
    )
    item.refresh_from_db()
    assert item.operating_hours == Decimal("1.5")
    assert EquipmentTelemetry.objects.get(pk=item.pk).state == "idle"
    assert ingestor.totals.ignored == 2
    kinds = sorted(TelemetryReading.objects.filter(equipment=item).values_list("kind", flat=True))
    assert kinds == ["progress", "state", "state", "temperature"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _mosquitto(port: int) -> subprocess.Popen:
    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    proc = subprocess.Popen(  # noqa: S603 - our own broker binary, fixed arguments
        [binary, "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    assert wait_for(lambda: broker_up(port=port), timeout=10), "private mosquitto did not start"
    return proc


def test_a_broker_restart_is_survived():
    plan = make_plan(units=1)
    item = plan.printers[0]
    port = _free_port()
    broker = _mosquitto(port)
    ingest = make_ingestor(port=port)
    ingest.start()
    try:
        assert ingest.subscribed.wait(10)
        base = f"{ingest.state.prefix}/{item.inventory_number}"
        pub = Publisher(port)
        pub.send(f"{base}/counters", {"ts": ts(), "operating_hours": 10})
        pub.close()
        assert wait_for(lambda: TelemetryReading.objects.count() == 1, step=ingest.pump)

        broker.terminate()
        broker.wait(10)
        assert wait_for(lambda: not ingest.connected.is_set(), timeout=10, step=ingest.pump)
        broker = _mosquitto(port)
        assert wait_for(ingest.subscribed.is_set, timeout=40, step=ingest.pump), "no reconnect"

        pub = Publisher(port)
        pub.send(f"{base}/counters", {"ts": ts(), "operating_hours": 12})
        pub.close()
        assert wait_for(lambda: TelemetryReading.objects.count() == 2, step=ingest.pump)
        item.refresh_from_db()
        assert item.operating_hours == Decimal("12")
        assert ingest.disconnects >= 1 and ingest.connects >= 2
    finally:
        ingest.stop()
        broker.terminate()
        broker.wait(10)
