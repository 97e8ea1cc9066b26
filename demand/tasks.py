"""Celery tasks of demand: thin, each calls one service (imported inside the function, the one
allowed upward import). Every task is safe to run twice: the services claim their rows first."""

import datetime as dt

from celery import shared_task

__all__ = [
    "notify_interested",
    "send_interest_notification",
    "send_interest_expiry_reminder",
    "remind_expiring_interests",
    "purge_old_interests",
    "send_request_answer",
    "invite_feedback",
    "send_feedback_invitation",
]


def _now(now_iso: str | None):
    return dt.datetime.fromisoformat(now_iso) if now_iso else None


@shared_task
def notify_interested(run_id: int) -> int:
    from .services.interest import interests_notify_for_run

    return interests_notify_for_run(run_id=run_id)


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_interest_notification(self, notification_id: int) -> bool:
    from .services.interest import interest_notification_send

    try:
        return interest_notification_send(notification_id=notification_id)
    except OSError as exc:  # SMTP down: try again later instead of losing the e-mail
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_interest_expiry_reminder(self, interest_id: int) -> bool:
    from .services.interest import interest_expiry_reminder_send

    try:
        return interest_expiry_reminder_send(interest_id=interest_id)
    except OSError as exc:
        raise self.retry(exc=exc) from exc


@shared_task
def remind_expiring_interests(now_iso: str | None = None) -> int:
    from .services.interest import interests_remind_expiring

    return interests_remind_expiring(now=_now(now_iso))


@shared_task
def purge_old_interests(now_iso: str | None = None) -> int:
    from .services.interest import interests_purge

    return interests_purge(now=_now(now_iso))


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_request_answer(self, request_id: int) -> bool:
    from .services.requests import request_answer_send

    try:
        return request_answer_send(request_id=request_id)
    except OSError as exc:
        raise self.retry(exc=exc) from exc


@shared_task
def invite_feedback(now_iso: str | None = None) -> int:
    from .services.feedback import feedback_invite_due

    return feedback_invite_due(now=_now(now_iso))


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_feedback_invitation(self, invitation_id: int) -> bool:
    from .services.feedback import feedback_invitation_send

    try:
        return feedback_invitation_send(invitation_id=invitation_id)
    except OSError as exc:
        raise self.retry(exc=exc) from exc
