"""Celery tasks of legal: thin, each calls one service (imported inside the function)."""

from celery import shared_task


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_barrier_report(self, report_id: int) -> int:
    from .services import barrier_report_send

    try:
        return barrier_report_send(report_id=report_id)
    except OSError as exc:  # SMTP down: try again later instead of losing the report
        raise self.retry(exc=exc) from exc
