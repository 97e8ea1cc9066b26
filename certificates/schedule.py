"""Periodic tasks of certificates; config/beat.py merges them into the beat schedule. Only plain
values here: settings read this before Django's apps are ready."""

SCHEDULE = {
    # Bulk jobs a killed worker left behind resume within a minute (see services.recovery).
    "certificates.resume_stale_jobs": {
        "task": "certificates.tasks.resume_stale_jobs",
        "schedule": 20.0,
    },
    # PDFs written by a transaction that never committed.
    "certificates.purge_orphaned_files": {
        "task": "certificates.tasks.purge_orphaned_files",
        "schedule": 3600.0,
    },
}
