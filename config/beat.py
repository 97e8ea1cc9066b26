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
    # Webhook retries with backoff, and deliveries a dead worker left behind
    # (the outbox keeps them).
    "task": "api.tasks.deliver_due",
    "schedule": 60.0,
}
# Booking: reminders two days ahead, expired employer-approval holds, completion of finished runs,
# a waiting-list sweep (seats freed outside the booking service, e.g. repaired equipment), and
# names kept for certificates whose retention has ended.
BEAT_SCHEDULE["courses.send_reminders"] = {
    "task": "courses.tasks.booking.send_reminders",
    "schedule": crontab(hour=7, minute=0),
}
BEAT_SCHEDULE["courses.release_expired_holds"] = {
    "task": "courses.tasks.booking.release_expired_holds",
    "schedule": crontab(minute=5),
}
BEAT_SCHEDULE["courses.complete_due_runs"] = {
    "task": "courses.tasks.booking.complete_due_runs",
    "schedule": crontab(hour=2, minute=30),
}
BEAT_SCHEDULE["courses.promote_waiting_lists"] = {
    "task": "courses.tasks.booking.promote_waiting_lists",
    "schedule": crontab(minute="*/10"),
}
BEAT_SCHEDULE["courses.purge_expired_names"] = {
    "task": "courses.tasks.booking.purge_expired_names",
    "schedule": crontab(hour=3, minute=15),
}
