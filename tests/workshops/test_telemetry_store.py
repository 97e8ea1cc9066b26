"""Storing telemetry without a broker: what the selectors measure (hours and energy over a
period), what the pages show (the fleet, the refused messages, the item's readings and chart,
measured hours in the utilisation report), and the parser's verdicts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.courses.planning_fixtures import make_plan
from tests.factories import instructor
from workshops.models import EquipmentReservation, TelemetryReading
from workshops.selectors_telemetry import energy_used, measured_hours
from workshops.services.telemetry import BadMessage, IngestState, parse_message, store_batch

pytestmark = pytest.mark.django_db


def _store(messages, now=None):
    now = now or timezone.now()
    state = IngestState(prefix="lw", octoprint_prefix="op")
    return store_batch(
        messages=[(t, p if isinstance(p, bytes) else p.encode(), now) for t, p in messages],
        state=state,
        now=now,
    )


def _counter(number, when, hours=None, energy=None):
    if hours is not None:
        yield f"lw/{number}/counters", f'{{"ts": "{when.isoformat()}", "operating_hours": {hours}}}'
    if energy is not None:
        yield f"lw/{number}/energy", f'{{"ts": "{when.isoformat()}", "energy_kwh": {energy}}}'


def test_hours_and_energy_over_a_period_come_from_the_counters_rise():
    plan = make_plan(units=2)
    item, silent = plan.printers
    now = timezone.now()
    start, end = now - dt.timedelta(hours=3), now
    messages = [
        *_counter(item.inventory_number, start - dt.timedelta(hours=2), hours=100, energy=50),
        *_counter(item.inventory_number, start + dt.timedelta(minutes=30), hours=100.5, energy=51),
        *_counter(item.inventory_number, end - dt.timedelta(minutes=5), hours=102.5, energy=53.5),
    ]
    result = _store(messages, now=now)
    assert (result.stored, result.malformed, result.unknown) == (6, 0, 0)
    assert measured_hours([item.pk, silent.pk], start=start, end=end) == {item.pk: 2.5}
    assert energy_used([item.pk, silent.pk], start=start, end=end) == {item.pk: Decimal("3.5")}


def test_pages_show_the_fleet_the_refused_messages_and_the_items_readings(client):
    plan = make_plan(units=1)
    item = plan.printers[0]
    other = make_plan(units=1).printers[0]
    now = timezone.now()
    _store(
        [
            *_counter(item.inventory_number, now - dt.timedelta(minutes=1), hours=42, energy=7),
            (f"lw/{item.inventory_number}/state", f'{{"ts": {now.timestamp()}, "state": "busy"}}'),
            *_counter(other.inventory_number, now, hours=1),
            ("lw/GHOST-1/state", f'{{"ts": {now.timestamp()}, "state": "idle"}}'),
            ("lw/GHOST-1/state", "{oops"),
        ],
        now=now,
    )
    client.force_login(plan.coordinator)
    page = client.get(reverse("workshops:telemetry")).content.decode()
    assert item.inventory_number in page
    assert other.inventory_number not in page  # another school's item
    assert "GHOST-1" in page and "json" in page

    detail = client.get(item.get_absolute_url()).content.decode()
    assert "Messwerte" in detail and "in Betrieb" in detail
    assert 'id="chart-usage-' in detail and "42.00 h" not in detail  # the chart table, per day
    assert "42,00" in detail and "7,000 kWh" in detail  # counters, in German notation

    client.force_login(instructor(plan.school))
    assert client.get(reverse("workshops:telemetry")).status_code == 403


def test_utilisation_report_uses_measured_hours_where_they_exist(client, settings):
    settings.WORKSHOP_OPENING_HOURS_PER_WEEK = 42  # 6 hours a day
    plan = make_plan(units=2)
    measured, reserved_only = plan.printers
    day = timezone.localdate() - dt.timedelta(days=2)
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    _store(
        [
            *_counter(measured.inventory_number, at, hours=10),
            *_counter(measured.inventory_number, at + dt.timedelta(hours=6), hours=16),
        ]
    )
    EquipmentReservation.objects.create(
        equipment=reserved_only, start=at, end=at + dt.timedelta(hours=3), kind="external"
    )
    client.force_login(plan.coordinator)
    url = reverse("workshops:utilisation") + f"?start={day.isoformat()}&end={day.isoformat()}"
    csv_text = client.get(url + "&format=csv").content.decode("utf-8-sig")
    lines = {line.split(";")[1]: line.split(";") for line in csv_text.splitlines()[1:]}
    items = {key.split()[0]: row for key, row in lines.items() if row[0] == "Gerät"}
    assert items[measured.inventory_number][5] == "6.0"
    # Measured and reserved hours are shares of the same opening hours (6 of 6).
    assert items[measured.inventory_number][4] == "100.0"
    assert items[reserved_only.inventory_number][5] == ""
    assert items[reserved_only.inventory_number][4] == "50.0"  # 3 reserved of 6
    # The type sums the measured hours, and counts the other unit by its reservations.
    (kind,) = [row for row in lines.values() if row[0] == "Geräteart"]
    assert (kind[5], kind[4]) == ("6.0", "75.0")  # (6 + 3) of 2 × 6
    page = client.get(url).content.decode()
    type_table = page[page.index('data-chart="utilisation-type"') :].split("</table>")[0]
    assert "Stunden gemessen" in type_table and '<td class="numeric">6,0</td>' in type_table


@pytest.mark.parametrize(
    ("topic", "payload", "reason"),
    [
        ("lw/X/state", b"\xff\xfe", "json"),
        ("lw/X/state", b"[1, 2]", "json"),
        ("lw/X/state", b'{"state": "idle"}', "timestamp"),
        ("lw/X/state", b'{"ts": "2026-01-01T00:00:00", "state": "idle"}', "timestamp"),
        ("lw/X/state", b'{"ts": 99999999999999999999, "state": "idle"}', "timestamp"),
        ("lw/X/state", b'{"ts": true, "state": "idle"}', "timestamp"),
        ("lw/X/counters", b'{"ts": 0, "operating_hours": 1}', "timestamp"),
        ("lw/X/state", b'{"ts": %d, "state": "on fire"}', "value"),
        ("lw/X/counters", b'{"ts": %d, "operating_hours": -1}', "value"),
        ("lw/X/counters", b'{"ts": %d, "operating_hours": "12"}', "value"),
        ("lw/X/counters", b'{"ts": %d}', "value"),
        ("lw/X/energy", b'{"ts": %d, "energy_kwh": 1e308}', "value"),
        ("lw/X/humidity", b'{"ts": %d}', "topic"),
        ("lw//state", b'{"ts": %d, "state": "idle"}', "topic"),
        ("elsewhere/X/state", b'{"ts": %d, "state": "idle"}', "topic"),
        ("lw/X/state", b"x" * 5000, "too_large"),
    ],
)
def test_the_parser_names_what_is_wrong(topic, payload, reason):
    now = timezone.now()
    if b"%d" in payload:
        payload = payload % int(now.timestamp())
    with pytest.raises(BadMessage) as bad:
        parse_message(topic, payload, prefix="lw", octoprint_prefix="op", now=now)
    assert bad.value.reason == reason


def test_temperatures_are_kept_once_a_minute_per_sensor():
    item = make_plan(units=1).printers[0]
    now = timezone.now()
    state = IngestState(prefix="lw", octoprint_prefix="op")
    for seconds in (0, 10, 20, 70):
        ts = int(now.timestamp()) - 100 + seconds
        store_batch(
            messages=[
                (
                    f"op/{item.inventory_number}/temperature/bed",
                    f'{{"_timestamp": {ts}, "actual": 60.1, "target": 60}}'.encode(),
                    now,
                )
            ],
            state=state,
            now=now,
        )
    assert TelemetryReading.objects.filter(kind="temperature").count() == 2


def test_item_page_charts_the_hours_measured_per_day(client):
    plan = make_plan(units=1)
    item = plan.printers[0]
    day = timezone.localdate() - dt.timedelta(days=1)
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(8)))
    _store(
        [
            *_counter(item.inventory_number, at - dt.timedelta(days=1), hours=100),
            *_counter(item.inventory_number, at, hours=101.5),
            *_counter(item.inventory_number, at + dt.timedelta(hours=5), hours=106.25),
        ]
    )
    client.force_login(plan.coordinator)
    page = client.get(item.get_absolute_url()).content.decode()
    chart = page[page.index('id="chart-usage-') :]
    label = day.strftime("%d.%m.")
    row = chart[chart.index(label) :].split("</tr>")[0]
    assert "6.25" in row  # 100 → 106.25 over the day
    assert "Letzte Meldungen" in page and "106,25" in page
