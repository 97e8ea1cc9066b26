"""Periodic tasks of workshops; config/beat.py merges them into the beat schedule."""

from celery.schedules import crontab

SCHEDULE = {
    # Maintenance falling due within MAINTENANCE_NOTICE_DAYS, announced once per duty.
    "workshops.notify_maintenance_due": {
        "task": "workshops.tasks.notify_maintenance_due",
        "schedule": crontab(hour=6, minute=20),
    },
    # Loans past their expected return: the borrower is reminded, once a day.
    "workshops.remind_overdue_loans": {
        "task": "workshops.tasks.remind_overdue_loans",
        "schedule": crontab(hour=8, minute=0),
    },
}
