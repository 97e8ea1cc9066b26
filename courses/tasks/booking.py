"""Periodic tasks of booking, each a call of one service (imported inside the task, the one
allowed upward import). Every one is safe to run twice: the services are idempotent."""

from celery import shared_task

__all__ = [
    "send_reminders",
    "release_expired_holds",
    "expire_waitlist_offers",
    "promote_waiting_lists",
    "complete_due_runs",
    "purge_expired_names",
]


@shared_task
def send_reminders() -> int:
    from ..services.reminders import send_reminders as send

    return send()


@shared_task
def release_expired_holds() -> int:
    from ..services.booking.approvals import release_expired_holds as release

    return release()


@shared_task
def expire_waitlist_offers() -> int:
    from ..services.booking.offers import expire_offers

    return expire_offers()


@shared_task
def promote_waiting_lists(workshop_id: int | None = None, run_id: int | None = None) -> int:
    from ..services.booking.waitlist import promote_all_waiting

    return promote_all_waiting(workshop_id=workshop_id, run_id=run_id)


@shared_task
def complete_due_runs() -> int:
    from ..services.completion import complete_due_runs as complete

    return complete()


@shared_task
def purge_expired_names() -> int:
    from ..services.privacy import purge_expired_names as purge

    return purge()
