"""Periodic tasks of the kernel; config/beat.py merges them into the beat schedule. Only plain
values here: settings read this before Django's apps are ready."""

SCHEDULE = {
    # E-mails a dead process or an unreachable broker left in the outbox, and due retries.
    "core.send_due_emails": {
        "task": "core.tasks.send_due_emails",
        "schedule": 60.0,
    },
    # Bodies of sent e-mails (clear links in them) kept past OUTBOX_BODY_RETENTION_DAYS.
    "core.purge_email_bodies": {
        "task": "core.tasks.purge_email_bodies",
        "schedule": 24 * 3600.0,
    },
    # A worker that stopped consuming shows in /readyz (config.health).
    "core.heartbeat": {
        "task": "core.tasks.heartbeat",
        "schedule": 30.0,
    },
}
