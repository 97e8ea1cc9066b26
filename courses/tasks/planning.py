"""Periodic tasks of planning, each a call of one service (imported inside the task)."""

import datetime as dt

from celery import shared_task

__all__ = ["flag_runs_below_minimum", "record_measured_material"]


@shared_task
def flag_runs_below_minimum(now_iso: str | None = None) -> int:
    from ..services.planning.runs import flag_runs_below_minimum as flag

    return flag(now=dt.datetime.fromisoformat(now_iso) if now_iso else None)


@shared_task
def record_measured_material(now_iso: str | None = None) -> int:
    from ..services.resources import record_due_measured_material

    return record_due_measured_material(now=dt.datetime.fromisoformat(now_iso) if now_iso else None)
