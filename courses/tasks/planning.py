"""Periodic tasks of planning, each a call of one service (imported inside the task)."""

import datetime as dt

from celery import shared_task

__all__ = ["flag_runs_below_minimum"]


@shared_task
def flag_runs_below_minimum(now_iso: str | None = None) -> int:
    from ..services.planning.runs import flag_runs_below_minimum as flag

    return flag(now=dt.datetime.fromisoformat(now_iso) if now_iso else None)
