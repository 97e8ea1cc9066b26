"""Reads of telemetry: what an item reported last, its usage per day, hours and energy measured
over a period (from the absolute counters and meters: the highest reading in the period minus
the highest before it), and what the ingest process refused. A fixed number of queries each."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import F, FloatField, Max, Min, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Equipment, EquipmentTelemetry, TelemetryReading, TelemetryRejection
from .selectors import opening_hours

BASELINE_DAYS = 7  # how far before a period a counter reading still counts as its start value


def latest_readings(equipment_id: int, *, limit: int = 10):
    return TelemetryReading.objects.filter(equipment_id=equipment_id).order_by("-recorded_at")[
        :limit
    ]


def item_telemetry(item) -> dict:
    """For the item page: its summary (None when it never reported), the last readings and the
    usage chart."""
    summary = EquipmentTelemetry.objects.filter(pk=item.pk).first()
    return {
        "summary": summary,
        "readings": list(latest_readings(item.pk)) if summary else [],
        "chart": usage_chart(item.pk) if summary else None,
    }


def fleet(school_ids):
    """The telemetry summary of every item of the schools that has reported."""
    return (
        EquipmentTelemetry.objects.filter(equipment__school_id__in=list(school_ids))
        .select_related("equipment", "equipment__type")
        .order_by("equipment__inventory_number")
    )


def rejections():
    """Unknown inventory numbers and malformed messages, most recent first. They belong to no
    school (an unknown number is nobody's item), so every inventory manager sees them."""
    return TelemetryRejection.objects.order_by("-last_seen_at")[:100]


def _delta(field: str, equipment_ids, start: dt.datetime, end: dt.datetime) -> dict[int, Decimal]:
    return _rise(F(field), {f"{field}__isnull": False}, equipment_ids, start, end)


def _rise(value, present: dict, equipment_ids, start, end) -> dict[int, Decimal]:
    """Per item, how far an absolute counter (`value`, on readings matching `present`) rose in
    [start, end): the highest in the period minus the highest in the week before (or the
    period's lowest when there is none). Two queries."""
    ids = list(equipment_ids)
    readings = TelemetryReading.objects.filter(**present)
    in_period = {
        row["equipment_id"]: row
        for row in readings.filter(
            equipment_id__in=ids, recorded_at__gte=start, recorded_at__lt=end
        )
        .values("equipment_id")
        .annotate(high=Max(value), low=Min(value))
        .order_by()
    }
    before = dict(
        readings.filter(
            equipment_id__in=list(in_period),
            recorded_at__gte=start - dt.timedelta(days=BASELINE_DAYS),
            recorded_at__lt=start,
        )
        .values("equipment_id")
        .annotate(high=Max(value))
        .order_by()
        .values_list("equipment_id", "high")
    )
    # Aggregates come back from SQLite as floats; three decimals is what the meters resolve.
    return {
        pk: max(_dec(row["high"]) - _dec(before.get(pk, row["low"])), Decimal("0")).quantize(
            Decimal("0.001")
        )
        for pk, row in in_period.items()
    }


def _dec(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def filament_used(equipment_ids, *, start: dt.datetime, end: dt.datetime) -> dict[int, dict]:
    """Filament the printers fed in [start, end) by their counters: {item: {"mm": .., "g": ..}}
    with the keys the item reports. Four queries."""
    used: dict[int, dict] = defaultdict(dict)
    for key, short in (("filament_mm", "mm"), ("filament_g", "g")):
        value = Cast(KT(f"data__{key}"), FloatField())
        present = {"kind": TelemetryReading.Kind.COUNTERS, "data__has_key": key}
        for pk, rise in _rise(value, present, equipment_ids, start, end).items():
            used[pk][short] = rise
    return dict(used)


def measured_hours(equipment_ids, *, start: dt.datetime, end: dt.datetime) -> dict[int, float]:
    """Operating hours measured in [start, end) per item that reported any: the counter's rise
    plus the print time of jobs reported one by one (OctoPrint)."""
    ids = list(equipment_ids)
    hours = defaultdict(Decimal, _delta("operating_hours", ids, start, end))
    for pk, added in (
        TelemetryReading.objects.filter(
            equipment_id__in=ids,
            recorded_at__gte=start,
            recorded_at__lt=end,
            hours_delta__isnull=False,
        )
        .values("equipment_id")
        .annotate(added=Sum("hours_delta"))
        .order_by()
        .values_list("equipment_id", "added")
    ):
        hours[pk] += added
    return {pk: float(value) for pk, value in hours.items()}


def energy_used(equipment_ids, *, start: dt.datetime, end: dt.datetime) -> dict[int, Decimal]:
    """kWh the meters of the items counted in [start, end)."""
    return _delta("energy_kwh", equipment_ids, start, end)


def usage_chart(equipment_id: int, *, days: int = 14, now: dt.datetime | None = None) -> dict:
    """The item's measured hours and energy per day over the last `days` days, as a spec for
    templates/components/chart.html (the chart and its table)."""
    now = now or timezone.now()
    end = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    end += dt.timedelta(days=1)
    start = end - dt.timedelta(days=days)
    rows = {
        row["day"]: row
        for row in TelemetryReading.objects.filter(
            equipment_id=equipment_id, recorded_at__gte=start, recorded_at__lt=end
        )
        .annotate(day=TruncDate("recorded_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(hours=Max("operating_hours"), energy=Max("energy_kwh"), jobs=Sum("hours_delta"))
        .order_by("day")
    }
    previous = TelemetryReading.objects.filter(
        equipment_id=equipment_id,
        recorded_at__lt=start,
        recorded_at__gte=start - dt.timedelta(days=BASELINE_DAYS),
    ).aggregate(hours=Max("operating_hours"), energy=Max("energy_kwh"))
    last_hours, last_energy = previous["hours"], previous["energy"]
    labels, hours_values, table = [], [], []
    for offset in range(days):
        day = (start + dt.timedelta(days=offset)).date()
        row = rows.get(day, {})
        used = Decimal("0")
        energy = Decimal("0")
        if row.get("hours") is not None:
            used = row["hours"] - last_hours if last_hours is not None else Decimal("0")
            last_hours = max(last_hours or row["hours"], row["hours"])
        used += row.get("jobs") or 0
        if row.get("energy") is not None:
            energy = row["energy"] - last_energy if last_energy is not None else Decimal("0")
            last_energy = max(last_energy or row["energy"], row["energy"])
        label = day.strftime("%d.%m.")
        labels.append(label)
        hours_values.append(round(float(max(used, 0)), 2))
        table.append([label, f"{max(used, 0):.2f}", f"{max(energy, 0):.3f}"])
    has_data = bool(rows)
    chart = {
        "id": f"usage-{equipment_id}",
        "title": _("Nutzung laut Messwerten"),
        "description": _("Gemessene Betriebsstunden und Energie je Tag, letzte %(n)s Tage.")
        % {"n": days},
        "kind": "bar",
        "unit": "h",
        "max": None,
        "labels": labels,
        "series": [{"label": _("Betriebsstunden"), "values": hours_values}],
        "columns": [_("Tag"), _("Betriebsstunden"), _("Energie (kWh)")],
        "rows": table if has_data else [],
        "empty": _("Noch keine Messwerte von diesem Gerät."),
    }
    total = sum(hours_values)
    chart["summary"] = _("%(title)s: %(total)s Stunden in %(n)s Tagen.") % {
        "title": chart["title"],
        "total": f"{total:g}",
        "n": days,
    }
    return chart


def with_measured_hours(per_item, per_type, *, start: dt.datetime, end: dt.datetime):
    """The utilisation rows (selectors.utilisation) with the hours the machines measured where
    they report: `measured` is those hours (None without telemetry) and `share` then follows the
    measured hours instead of the reserved ones, as a share of the same opening hours. A type
    sums its measured items, and its share counts each item by its measured hours where it has
    them and by its reserved ones otherwise."""
    measured = measured_hours([row.key for row in per_item], start=start, end=end)
    period_hours = opening_hours(start, end)
    type_of = dict(
        Equipment.objects.filter(pk__in=[row.key for row in per_item]).values_list("pk", "type_id")
    )
    used, units, sums = defaultdict(float), defaultdict(int), {}
    for row in per_item:
        row.measured = round(measured[row.key], 2) if row.key in measured else None
        if row.measured is not None:
            row.share = round(row.measured / period_hours, 4)
            sums[type_of[row.key]] = sums.get(type_of[row.key], 0.0) + row.measured
        used[type_of[row.key]] += row.hours if row.measured is None else row.measured
        units[type_of[row.key]] += 1
    for row in per_type:
        row.measured = round(sums[row.key], 2) if row.key in sums else None
        if row.measured is not None:
            row.share = round(used[row.key] / (period_hours * units[row.key]), 4)
    return per_item, per_type
