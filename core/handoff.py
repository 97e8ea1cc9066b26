"""Handing a task to the broker after the commit without ever failing the request: the change is
committed by then, so an unreachable broker (or, in eager mode, an error inside the task) must
not turn it into an error page. Each caller has a database record and a beat sweep that finds
what was not handed off (outboxes, stale jobs, due rows)."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def delay_safely(task, *args, **kwargs) -> bool:
    try:
        task.delay(*args, **kwargs)
    except Exception:  # noqa: BLE001 - broker down, or the eager task's own error
        logger.warning("task %s not handed off; its sweep picks it up", task.name, exc_info=True)
        return False
    return True


def delay_on_commit(task, *args, **kwargs) -> None:
    transaction.on_commit(lambda: delay_safely(task, *args, **kwargs))
