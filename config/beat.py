"""Periodic tasks. django-celery-beat's DatabaseScheduler installs these on start; each app adds its
own entries below."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {}
BEAT_SCHEDULE["api.deliver_due_webhooks"] = {
    # Webhook retries with backoff, and deliveries a dead worker left behind (the outbox keeps them).
    "task": "api.tasks.deliver_due",
    "schedule": 60.0,
}
