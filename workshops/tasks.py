"""Celery tasks of workshops: thin wrappers over workshops.services, which they import inside the
function (services may enqueue tasks; HackSoft's rule)."""

import datetime as dt

from celery import shared_task


@shared_task(name="workshops.tasks.notify_maintenance_due")
def notify_maintenance_due(today_iso: str | None = None) -> int:
    """Daily (workshops/schedule.py): tell coordinators about maintenance falling due. Returns the
    number of duties noticed; safe to run twice."""
    from .services.maintenance import notify_maintenance_due as notify

    return notify(today=dt.date.fromisoformat(today_iso) if today_iso else None)


@shared_task(name="workshops.tasks.remind_overdue_loans")
def remind_overdue_loans() -> int:
    """Daily (workshops/schedule.py): remind borrowers of overdue loans, once a day each."""
    from .services.loans import remind_overdue

    return remind_overdue()
