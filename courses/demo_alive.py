"""Demo data that looks like a district in use, applied by `manage.py seed_demo` after it built
the runs: bookings dated inside their run's booking window (a run with bookings has opened),
and equipment whose maintenance was kept up, bar a couple of items just overdue to show the
reminder. Safe to run again: dates are recomputed the same way, and a maintenance record is
only added to an item that has none of that kind."""

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone

from people.models import School
from workshops.models import MaintenanceRecord
from workshops.selectors import maintenance_overview

from .models import CourseRun, Enrolment

# How long before the first booking a run's window opened, when the plan had it open later.
OPENED_BEFORE_FIRST_BOOKING = dt.timedelta(days=14)
# Items left overdue on purpose, a few days past their date: the reminder has something to show.
KEPT_OVERDUE = 2
TECHNICIAN = "Technischer Dienst Heideland"


def liven(*, now: dt.datetime, rng: Callable[..., random.Random]) -> None:
    _bookings_inside_their_window(now=now, rng=rng)
    _maintenance_kept_up(today=timezone.localdate(now), rng=rng)


def _bookings_inside_their_window(*, now, rng) -> None:
    booked = Enrolment.objects.filter(run=OuterRef("pk"))
    for run in CourseRun.objects.filter(Exists(booked)).order_by("pk"):
        if run.booking_opens_at > now:
            # People booked it, so its window opened (two weeks ago, within its closing date).
            run.booking_opens_at = min(now - OPENED_BEFORE_FIRST_BOOKING, run.booking_closes_at)
            run.save(update_fields=["booking_opens_at"])
        window_end = min(run.booking_closes_at, now)
        span = max((window_end - run.booking_opens_at).total_seconds(), 0)
        for enrolment in run.enrolments.order_by("pk"):
            share = rng("booked", run.pk, enrolment.pk).random()
            booked_at = run.booking_opens_at + dt.timedelta(seconds=span * share)
            fields = {"created_at": booked_at}
            if enrolment.confirmed_at:
                fields["confirmed_at"] = booked_at
            if enrolment.cancelled_at and enrolment.cancelled_at < booked_at:
                fields["cancelled_at"] = min(booked_at + dt.timedelta(days=2), now)
            Enrolment.objects.filter(pk=enrolment.pk).update(**fields)
    # Waiting lists keep their order: the queue was joined in booking order.
    for run_id in (
        Enrolment.objects.filter(waitlist_seq__isnull=False)
        .values_list("run_id", flat=True)
        .distinct()
    ):
        queue = list(Enrolment.objects.filter(run_id=run_id, waitlist_seq__isnull=False))
        times = sorted(e.created_at for e in queue)
        for enrolment, at in zip(sorted(queue, key=lambda e: e.waitlist_seq), times, strict=True):
            Enrolment.objects.filter(pk=enrolment.pk).update(created_at=at)


def _maintenance_kept_up(*, today: dt.date, rng) -> None:
    schools = list(School.objects.values_list("pk", flat=True))
    overview = maintenance_overview(schools, today=today)
    never = [d for d in overview if d.state == "overdue" and d.last_on is None]
    never.sort(key=lambda d: d.equipment.inventory_number)
    records = []
    for index, duty in enumerate(never):
        item = duty.equipment
        days = duty.interval_days or 180
        if index < KEPT_OVERDUE:
            ago = days + 3 + index  # a few days past due
        else:
            ago = max(1, int(days * (0.15 + 0.6 * rng("maintenance", item.pk).random())))
        hours = item.operating_hours
        if duty.interval_hours and index >= KEPT_OVERDUE:
            hours = max(Decimal(0), item.operating_hours - Decimal(duty.interval_hours) / 3)
        records.append(
            MaintenanceRecord(
                equipment=item,
                kind=duty.kind,
                performed_on=today - dt.timedelta(days=ago),
                performed_by_name=TECHNICIAN,
                operating_hours_at=hours,
                cost=Decimal(rng("maintenance-cost", item.pk).randrange(40, 300)),
                notes="Prüfung nach Herstellervorgabe",
            )
        )
    MaintenanceRecord.objects.bulk_create(records)
