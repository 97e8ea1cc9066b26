"""Reads of briefings, loans and consumables. One query per list."""

import datetime as dt
from collections import defaultdict

from django.db.models import F
from django.utils import timezone

from .models import ConsumableStock, EquipmentType, Loan, SafetyBriefing, StockMovement


def briefed(person_ids, type_ids, *, on: dt.date) -> set[tuple[int, int]]:
    """(person, type) pairs with a briefing valid on `on`."""
    return set(
        SafetyBriefing.objects.filter(
            person_id__in=list(person_ids),
            equipment_type_id__in=list(type_ids),
            given_on__lte=on,
            valid_until__gte=on,
        ).values_list("person_id", "equipment_type_id")
    )


def briefings_missing(person_ids, type_ids, *, on: dt.date) -> dict[int, list[EquipmentType]]:
    """Per person the types among `type_ids` that need a briefing and have none valid on `on`.
    Two queries."""
    needing = list(EquipmentType.objects.filter(pk__in=list(type_ids), requires_briefing=True))
    if not needing:
        return {}
    valid = briefed(person_ids, [t.pk for t in needing], on=on)
    missing = defaultdict(list)
    for person_id in person_ids:
        for etype in needing:
            if (person_id, etype.pk) not in valid:
                missing[person_id].append(etype)
    return dict(missing)


def briefings_of(school_ids, *, limit: int = 200):
    """The latest briefings given by staff of the schools."""
    return (
        SafetyBriefing.objects.filter(given_by__memberships__school_id__in=list(school_ids))
        .select_related("person", "equipment_type", "given_by")
        .distinct()
        .order_by("-given_on", "-id")[:limit]
    )


def loans(school_ids, *, open_only: bool = True):
    qs = Loan.objects.filter(equipment__school_id__in=list(school_ids)).select_related(
        "equipment", "equipment__type", "borrower"
    )
    if open_only:
        qs = qs.filter(returned_at__isnull=True)
    return qs.order_by("expected_return")


def overdue_loans(school_ids=None, *, now: dt.datetime | None = None):
    now = now or timezone.now()
    qs = Loan.objects.filter(returned_at__isnull=True, expected_return__lt=now).select_related(
        "equipment", "borrower", "lent_by"
    )
    if school_ids is not None:
        qs = qs.filter(equipment__school_id__in=list(school_ids))
    return qs.order_by("expected_return")


def stocks(school_ids):
    return (
        ConsumableStock.objects.filter(consumable__school_id__in=list(school_ids))
        .select_related("consumable", "workshop")
        .order_by("workshop__name", "consumable__material", "consumable__name")
    )


def low_stocks(school_ids):
    return stocks(school_ids).filter(quantity__lte=F("minimum"))


def material_used(movement_ids, *, measured_ids=()) -> list[dict]:
    """Use per consumable over the given movements (a run's sessions), positive quantities;
    `measured` is the part of it from `measured_ids` (taken by a machine's telemetry)."""
    measured_ids = set(measured_ids)
    totals: dict[int, dict] = {}
    for movement in StockMovement.objects.filter(
        pk__in=list(movement_ids), kind=StockMovement.Kind.USE
    ).select_related("stock__consumable"):
        consumable = movement.stock.consumable
        entry = totals.setdefault(
            consumable.pk,
            {
                "consumable": consumable,
                "unit": consumable.get_unit_display(),
                "quantity": 0,
                "measured": 0,
            },
        )
        entry["quantity"] += -movement.quantity
        if movement.pk in measured_ids:
            entry["measured"] += -movement.quantity
    return sorted(totals.values(), key=lambda e: str(e["consumable"]))
