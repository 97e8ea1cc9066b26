"""Celery tasks of legal: thin, each calls one service (imported inside the function)."""

from celery import shared_task


@shared_task
def send_barrier_report(report_id: int) -> int:
    """Only for reports queued before the outbox: their e-mail goes into it (once)."""
    from .services import barrier_report_send

    return barrier_report_send(report_id=report_id)
