"""Periodic tasks of demand; config/beat.py merges every app's SCHEDULE into the beat schedule.
Only celery imports here: settings read this before Django's apps are ready."""

from celery.schedules import crontab

SCHEDULE = {
    # Interests about to expire: their holders are asked once to renew.
    "demand.remind_expiring_interests": {
        "task": "demand.tasks.remind_expiring_interests",
        "schedule": crontab(hour=8, minute=20),
    },
    # Interests withdrawn or expired long ago are deleted (data minimisation).
    "demand.purge_old_interests": {
        "task": "demand.tasks.purge_old_interests",
        "schedule": crontab(hour=3, minute=40),
    },
    # Participants of completed runs are invited to give feedback (courses completes a run, hourly,
    # once the attendance of every held session is recorded).
    "demand.invite_feedback": {
        "task": "demand.tasks.invite_feedback",
        "schedule": crontab(hour=9, minute=0),
    },
}
