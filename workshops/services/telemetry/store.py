"""Storing a batch of messages: one transaction, a fixed number of queries per batch plus one
per item whose counter moved. Readings go to their own table by bulk insert; the item's summary
(EquipmentTelemetry) is written once per batch; the equipment row only by `update()` when its
operating hours grow, so no equipment-change handler runs for a heartbeat."""

import datetime as dt
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from ...models import Equipment, EquipmentTelemetry, TelemetryReading, TelemetryRejection
from .parse import BadMessage, Parsed, parse_message

log = logging.getLogger("workshops.telemetry")

LOOKUP_TTL = 60.0  # seconds an inventory number stays resolved (or unknown) in memory
TEMPERATURE_EVERY = dt.timedelta(
    seconds=60
)  # OctoPrint reports every few seconds; keep one a minute
ERROR = TelemetryReading.State.ERROR

# The tables by name (the models' db_table): plain SQL, parameters only in the values.
INSERT_SQL = (
    "INSERT INTO workshops_telemetryreading (equipment_id, recorded_at, received_at, kind, "
    "state, operating_hours, hours_delta, energy_kwh, data, source) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
SUMMARY_SQL = (
    "UPDATE workshops_equipmenttelemetry SET last_seen_at = %s, state = %s, state_since = %s, "
    "error_since = %s, defect_reported_at = %s, operating_hours = %s, energy_kwh = %s, "
    "messages = %s WHERE equipment_id = %s"
)
COUNTER_SQL = (
    "UPDATE workshops_equipment SET operating_hours = %s WHERE id = %s AND operating_hours < %s"
)
ADDED_SQL = "UPDATE workshops_equipment SET operating_hours = operating_hours + %s WHERE id = %s"


@dataclass
class IngestState:
    """What the ingest process keeps between batches: inventory numbers resolved (with when),
    and when each item's sensor last had a temperature stored. Bounded by the inventory."""

    prefix: str
    octoprint_prefix: str
    ids: dict[str, tuple[int | None, float]] = field(default_factory=dict)
    last_temperature: dict[tuple[int, str], dt.datetime] = field(default_factory=dict)

    def resolve(self, numbers: set[str]) -> dict[str, int | None]:
        clock = time.monotonic()
        stale = {n for n in numbers if n not in self.ids or clock - self.ids[n][1] > LOOKUP_TTL}
        if stale:
            found = dict(
                Equipment.objects.filter(inventory_number__in=stale).values_list(
                    "inventory_number", "pk"
                )
            )
            if len(self.ids) > 100_000:  # numbers made up by a broken device must not grow us
                self.ids.clear()
            for number in stale:
                self.ids[number] = (found.get(number), clock)
        return {n: self.ids[n][0] for n in numbers}


@dataclass
class BatchResult:
    stored: int = 0
    malformed: int = 0
    unknown: int = 0
    ignored: int = 0
    throttled: int = 0


def store_batch(
    *, messages: list[tuple[str, bytes, dt.datetime]], state: IngestState, now: dt.datetime
) -> BatchResult:
    """Parse, validate and store `messages` (topic, payload, received at). A bad message is
    counted under its reason and never stops the batch; an unknown inventory number is counted
    under that number and never creates an item."""
    result = BatchResult()
    rejections: dict[tuple[str, str], list] = {}
    parsed: list[tuple[Parsed, dt.datetime, str]] = []
    for topic, payload, received_at in messages:
        try:
            reading = parse_message(
                topic,
                payload,
                prefix=state.prefix,
                octoprint_prefix=state.octoprint_prefix,
                now=now,
            )
        except BadMessage as bad:
            result.malformed += 1
            _reject(rejections, TelemetryRejection.Reason.MALFORMED, bad.reason, topic, bad.detail)
            log.warning("telemetry: bad message on %s: %s", topic[:200], bad.detail)
            continue
        except Exception as exc:  # noqa: BLE001 - whatever a device sends, the loop goes on
            result.malformed += 1
            _reject(rejections, TelemetryRejection.Reason.MALFORMED, "invalid", topic, repr(exc))
            log.exception("telemetry: unreadable message on %s", topic[:200])
            continue
        if reading is None:
            result.ignored += 1
            continue
        parsed.append((reading, received_at, topic))
    ids = state.resolve({p.inventory_number for p, _, _ in parsed})
    rows: list[tuple[int, Parsed, dt.datetime]] = []
    for reading, received_at, topic in parsed:
        equipment_id = ids.get(reading.inventory_number)
        if equipment_id is None:
            result.unknown += 1
            _reject(
                rejections, TelemetryRejection.Reason.UNKNOWN, reading.inventory_number, topic, ""
            )
            continue
        if reading.kind == TelemetryReading.Kind.TEMPERATURE and _throttled(
            state, equipment_id, reading
        ):
            result.throttled += 1
            continue
        rows.append((equipment_id, reading, received_at))
    with transaction.atomic():
        if rows:
            _insert(rows)
            _apply(rows)
        _count_rejections(rejections, now=now)
    result.stored = len(rows)
    return result


def _insert(rows) -> None:
    """One INSERT executed for many rows: Django's bulk_create builds SQL and adapts each field
    per row in Python, which at thousands of readings a second is most of the cost. Values that
    repeat within a batch (a device's timestamp, an empty `data`) are adapted once."""
    ops = connection.ops
    encoder = TelemetryReading._meta.get_field("data").encoder
    adapt_json = ops.adapt_json_value
    empty = adapt_json({}, encoder)
    when = _memo(ops.adapt_datetimefield_value)
    params = [
        (
            equipment_id,
            when(r.recorded_at),
            when(received_at),
            r.kind,
            r.state,
            r.operating_hours,
            r.hours_delta,
            r.energy_kwh,
            adapt_json(r.data, encoder) if r.data else empty,
            r.source,
        )
        for equipment_id, r, received_at in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(INSERT_SQL, params)


def _memo(adapt):
    cache = {}

    def adapted(value):
        if value not in cache:
            cache[value] = adapt(value)
        return cache[value]

    return adapted


def _throttled(state: IngestState, equipment_id: int, reading: Parsed) -> bool:
    key = (equipment_id, reading.data.get("sensor", ""))
    last = state.last_temperature.get(key)
    if last is not None and reading.recorded_at - last < TEMPERATURE_EVERY:
        return True
    state.last_temperature[key] = reading.recorded_at
    return False


def _reject(rejections, reason: str, key: str, topic: str, error: str) -> None:
    entry = rejections.setdefault((reason, key[:100]), [0, "", ""])
    entry[0] += 1
    entry[1], entry[2] = topic[:200], error[:200]


def _count_rejections(rejections, *, now: dt.datetime) -> None:
    for (reason, key), (count, topic, error) in rejections.items():
        changes = {"count": F("count") + count, "last_seen_at": now, "last_topic": topic}
        if error:
            changes["last_error"] = error
        if TelemetryRejection.objects.filter(reason=reason, key=key).update(**changes):
            continue
        try:
            with transaction.atomic():
                TelemetryRejection.objects.create(
                    reason=reason,
                    key=key,
                    count=count,
                    first_seen_at=now,
                    last_seen_at=now,
                    last_topic=topic,
                    last_error=error,
                )
        except IntegrityError:  # a second ingest process counted the same key first
            TelemetryRejection.objects.filter(reason=reason, key=key).update(**changes)


def _apply(rows) -> None:
    """What the batch changes: each item's summary (state and since when, when an error began),
    and its operating hours from counters (absolute) and print jobs (added). Each kind of write
    is one statement executed for all items of the batch."""
    by_item: dict[int, list[Parsed]] = defaultdict(list)
    for equipment_id, reading, _ in rows:
        by_item[equipment_id].append(reading)
    existing = EquipmentTelemetry.objects.select_for_update().in_bulk(list(by_item))
    fresh, changed, counters, added = [], [], [], []
    for equipment_id, readings in by_item.items():
        summary = existing.get(equipment_id)
        if summary is None:
            summary = EquipmentTelemetry(equipment_id=equipment_id)
            fresh.append(summary)
        else:
            changed.append(summary)
        readings.sort(key=lambda r: r.recorded_at)
        _summarise(summary, readings)
        counter = max(
            (r.operating_hours for r in readings if r.operating_hours is not None), default=None
        )
        if counter is not None:
            counters.append((counter, equipment_id, counter))
        jobs = sum((r.hours_delta for r in readings if r.hours_delta), Decimal("0"))
        if jobs:
            added.append((jobs.quantize(Decimal("0.1")), equipment_id))
    EquipmentTelemetry.objects.bulk_create(fresh)
    when = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        if changed:
            cursor.executemany(
                SUMMARY_SQL,
                [
                    (
                        when(s.last_seen_at),
                        s.state,
                        when(s.state_since),
                        when(s.error_since),
                        when(s.defect_reported_at),
                        s.operating_hours,
                        s.energy_kwh,
                        s.messages,
                        s.pk,
                    )
                    for s in changed
                ],
            )
        # Counters only grow; a lower one (a replaced board) never winds the item back. The
        # equipment row is updated, never saved: no change handler runs for a reading.
        if counters:
            cursor.executemany(COUNTER_SQL, counters)
        if added:
            cursor.executemany(ADDED_SQL, added)


def _summarise(summary: EquipmentTelemetry, readings: list[Parsed]) -> None:
    summary.messages += len(readings)
    for reading in readings:
        if summary.last_seen_at is None or reading.recorded_at > summary.last_seen_at:
            summary.last_seen_at = reading.recorded_at
        if reading.operating_hours is not None:
            summary.operating_hours = max(summary.operating_hours or 0, reading.operating_hours)
        if reading.energy_kwh is not None:
            summary.energy_kwh = max(summary.energy_kwh or 0, reading.energy_kwh)
        if not reading.state:
            continue
        if summary.state_since is not None and reading.recorded_at < summary.state_since:
            continue  # arrived late: the state has moved on since
        if reading.state != summary.state:
            summary.state, summary.state_since = reading.state, reading.recorded_at
        if reading.state == ERROR:
            summary.error_since = summary.error_since or reading.recorded_at
        else:
            summary.error_since = None
            summary.defect_reported_at = None
