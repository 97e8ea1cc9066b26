"""Celery tasks of signin: thin, each calls one service (imported inside the function)."""

from celery import shared_task


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_link_request_notice(self, link_id: int) -> int:
    from .services import link_request_notice_send

    try:
        return link_request_notice_send(link_id=link_id)
    except OSError as exc:  # SMTP down: try again later instead of losing the e-mail
        raise self.retry(exc=exc) from exc
