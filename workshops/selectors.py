"""Reads for equipment: inventory, maintenance due dates, utilisation. A fixed number of queries
however many items there are."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Max, QuerySet
from django.utils import timezone

from .models import Equipment, EquipmentReservation, MaintenanceRecord, MaintenanceSchedule

# An hours-based duty counts as "due soon" within this share of its interval.
HOURS_NOTICE_SHARE = Decimal("0.1")


def inventory(school_ids) -> QuerySet[Equipment]:
    return Equipment.objects.filter(school_id__in=list(school_ids)).select_related(
        "type", "workshop", "school"
    )


@dataclass
class MaintenanceDue:
    equipment: Equipment
    kind: str
    interval_days: int | None
    interval_hours: int | None
    last_on: dt.date | None
    due_on: dt.date | None  # by days
    hours_left: Decimal | None  # by operating hours
    state: str  # "ok", "due" (within notice), "overdue"
    due_hours: Decimal | None = None  # the operating hours it falls due at

    @property
    def due_point(self) -> str:
        """What identifies this falling due: announced once per due point."""
        return f"{self.due_on or ''}|{self.due_hours if self.due_hours is not None else ''}"

    @property
    def kind_label(self) -> str:
        return (
            MaintenanceRecord.Kind(self.kind).label
            if self.kind in MaintenanceRecord.Kind.values
            else self.kind
        )


def _duties(items, schedules):
    """Per item the schedules that apply: its own, its type's at the school, and the type's
    default interval when no schedule of that kind exists."""
    by_item = defaultdict(list)
    by_type = defaultdict(list)
    for schedule in schedules:
        if schedule.equipment_id:
            by_item[schedule.equipment_id].append(schedule)
        else:
            by_type[(schedule.school_id, schedule.equipment_type_id)].append(schedule)
    for item in items:
        own = by_item[item.pk] + by_type[(item.school_id, item.type_id)]
        kinds = {s.kind for s in own}
        duties = [(s.kind, s.interval_days, s.interval_hours) for s in own]
        etype = item.type
        if MaintenanceRecord.Kind.INSPECTION not in kinds and (
            etype.maintenance_interval_days or etype.maintenance_interval_hours
        ):
            duties.append(
                (
                    MaintenanceRecord.Kind.INSPECTION.value,
                    etype.maintenance_interval_days,
                    etype.maintenance_interval_hours,
                )
            )
        yield item, duties


def maintenance_overview(school_ids, *, today: dt.date | None = None, notice_days=None):
    """Every maintenance duty of the schools' items (not retired) with its due date and state.
    Due = last record of that kind (or the purchase/creation date) + N days, or the reading at
    the last record + N operating hours. Three queries."""
    today = today or timezone.localdate()
    notice_days = settings.MAINTENANCE_NOTICE_DAYS if notice_days is None else notice_days
    items = list(
        inventory(school_ids).exclude(status=Equipment.Status.RETIRED).order_by("inventory_number")
    )
    schedules = list(MaintenanceSchedule.objects.filter(school_id__in=list(school_ids)))
    last = {
        (row["equipment_id"], row["kind"]): row
        for row in MaintenanceRecord.objects.filter(equipment__in=[i.pk for i in items])
        .values("equipment_id", "kind")
        .annotate(last_on=Max("performed_on"), last_hours=Max("operating_hours_at"))
        .order_by()
    }
    result = []
    for item, duties in _duties(items, schedules):
        for kind, days, hours in duties:
            row = last.get((item.pk, kind), {})
            last_on = row.get("last_on")
            base_day = last_on or item.purchase_date or timezone.localdate(item.created_at)
            due_on = base_day + dt.timedelta(days=days) if days else None
            hours_left = due_hours = None
            if hours:
                due_hours = (row.get("last_hours") or Decimal("0")) + hours
                hours_left = due_hours - item.operating_hours
            overdue = (due_on is not None and due_on < today) or (
                hours_left is not None and hours_left <= 0
            )
            due = (due_on is not None and due_on <= today + dt.timedelta(days=notice_days)) or (
                hours_left is not None and hours_left <= hours * HOURS_NOTICE_SHARE
            )
            state = "overdue" if overdue else "due" if due else "ok"
            result.append(
                MaintenanceDue(
                    item, kind, days, hours, last_on, due_on, hours_left, state, due_hours
                )
            )
    result.sort(key=lambda d: (d.state != "overdue", d.due_on or dt.date.max))
    return result


def due_and_overdue(school_ids, *, today=None, notice_days=None) -> list[MaintenanceDue]:
    return [
        d
        for d in maintenance_overview(school_ids, today=today, notice_days=notice_days)
        if d.state != "ok"
    ]


@dataclass
class Utilisation:
    label: str
    key: int
    hours: float
    reservations: int
    share: float  # of the period's hours


def opening_hours(start: dt.datetime, end: dt.datetime) -> float:
    """The hours a workshop is open over [start, end): WORKSHOP_OPENING_HOURS_PER_WEEK spread
    over the period. Utilisation is a share of these, not of 24 × 7 (a printer booked for every
    lesson of the week is fully used, not a quarter)."""
    weeks = (end - start).total_seconds() / (7 * 24 * 3600)
    return max(weeks * settings.WORKSHOP_OPENING_HOURS_PER_WEEK, 1e-9)


# The period the staff dashboard's equipment chart and the utilisation page open on: the next
# four weeks from today, so both show the same figures.
UTILISATION_DAYS = 28


def utilisation(school_ids, *, start: dt.datetime, end: dt.datetime):
    """Hours reserved per item and per type over [start, end), clipped to the period, and their
    share of the opening hours in it. Two queries. Returns (per_item, per_type)."""
    items = list(inventory(school_ids).order_by("type__name", "inventory_number"))
    period_hours = opening_hours(start, end)
    hours = defaultdict(float)
    counts = defaultdict(int)
    for res in EquipmentReservation.objects.filter(
        equipment__school_id__in=list(school_ids), is_active=True, start__lt=end, end__gt=start
    ).values("equipment_id", "start", "end"):
        clipped = min(res["end"], end) - max(res["start"], start)
        hours[res["equipment_id"]] += clipped.total_seconds() / 3600
        counts[res["equipment_id"]] += 1
    per_item = [
        Utilisation(
            label=f"{item.inventory_number} {item.name or item.type.name}",
            key=item.pk,
            hours=round(hours[item.pk], 2),
            reservations=counts[item.pk],
            share=round(hours[item.pk] / period_hours, 4),
        )
        for item in items
    ]
    type_hours = defaultdict(float)
    type_counts = defaultdict(int)
    type_units = defaultdict(int)
    type_names = {}
    for item in items:
        type_hours[item.type_id] += hours[item.pk]
        type_counts[item.type_id] += counts[item.pk]
        type_units[item.type_id] += 1
        type_names[item.type_id] = item.type.name
    per_type = [
        Utilisation(
            label=type_names[pk],
            key=pk,
            hours=round(type_hours[pk], 2),
            reservations=type_counts[pk],
            share=round(type_hours[pk] / (period_hours * type_units[pk]), 4),
        )
        for pk in sorted(type_names, key=lambda k: type_names[k])
    ]
    return per_item, per_type
