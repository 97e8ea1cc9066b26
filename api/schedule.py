"""Periodic tasks of the API; config/beat.py merges them into the beat schedule."""

SCHEDULE = {
    # Webhook retries with backoff, and deliveries a dead worker left behind (the outbox keeps
    # them).
    "api.deliver_due_webhooks": {
        "task": "api.tasks.deliver_due",
        "schedule": 60.0,
    },
    # Idempotency records live 24 hours: their stored responses carry personal data.
    "api.purge_idempotency_records": {
        "task": "api.tasks.purge_idempotency_records",
        "schedule": 3600.0,
    },
}
