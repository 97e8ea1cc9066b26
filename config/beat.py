"""Periodic tasks. django-celery-beat's DatabaseScheduler installs these on start; each app adds its
own entries below."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {}
# Planning: runs short of their minimum, and maintenance falling due (daily, early morning).
BEAT_SCHEDULE["courses.flag_runs_below_minimum"] = {
    "task": "courses.tasks.planning.flag_runs_below_minimum",
    "schedule": crontab(hour=6, minute=10),
}
BEAT_SCHEDULE["workshops.notify_maintenance_due"] = {
    "task": "workshops.tasks.notify_maintenance_due",
    "schedule": crontab(hour=6, minute=20),
}
BEAT_SCHEDULE["api.deliver_due_webhooks"] = {
    # Webhook retries with backoff, and deliveries a dead worker left behind (the outbox keeps them).
    "task": "api.tasks.deliver_due",
    "schedule": 60.0,
}
