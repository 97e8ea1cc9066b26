"""Periodic tasks of courses; config/beat.py merges every app's SCHEDULE into the beat schedule.
Only celery imports here: settings read this before Django's apps are ready."""

from celery.schedules import crontab

SCHEDULE = {
    # Runs short of their minimum participants, flagged and announced early in the morning.
    "courses.flag_runs_below_minimum": {
        "task": "courses.tasks.planning.flag_runs_below_minimum",
        "schedule": crontab(hour=6, minute=10),
    },
    # Reminders two days ahead.
    "courses.send_reminders": {
        "task": "courses.tasks.booking.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Employer-approval holds that have expired free their seats.
    "courses.release_expired_holds": {
        "task": "courses.tasks.booking.release_expired_holds",
        "schedule": crontab(minute=5),
    },
    # Waiting-list offers not answered in time pass to the next waiting.
    "courses.expire_waitlist_offers": {
        "task": "courses.tasks.booking.expire_waitlist_offers",
        "schedule": crontab(minute="*/5"),
    },
    # Finished runs whose attendance is complete are completed (hourly: soon after the last
    # attendance is entered); for the others the coordinators are reminded, once a day.
    "courses.complete_due_runs": {
        "task": "courses.tasks.booking.complete_due_runs",
        "schedule": crontab(minute=30),
    },
    # Seats freed outside the booking service (e.g. repaired equipment) go to the waiting list.
    "courses.promote_waiting_lists": {
        "task": "courses.tasks.booking.promote_waiting_lists",
        "schedule": crontab(minute="*/10"),
    },
    # Filament the printers measured during sessions that ended is taken from their spools.
    "courses.record_measured_material": {
        "task": "courses.tasks.planning.record_measured_material",
        "schedule": crontab(minute="*/15"),
    },
    # Names kept for certificates whose retention has ended are removed.
    "courses.purge_expired_names": {
        "task": "courses.tasks.booking.purge_expired_names",
        "schedule": crontab(hour=3, minute=15),
    },
}
