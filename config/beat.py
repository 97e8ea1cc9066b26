"""Periodic tasks. django-celery-beat's DatabaseScheduler installs these on start; each app adds its
own entries below."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {}
