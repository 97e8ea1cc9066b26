"""Handing a task to the broker after the commit without ever failing the request: the change is
committed by then, so an unreachable broker (or, in eager mode, an error inside the task) must
not turn it into an error page. Each caller has a database record and a beat sweep that finds
what was not handed off (outboxes, stale jobs, due rows)."""

import atexit
import logging
import os
import threading

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


class Gathered:
    """Ids for a batch task (`task(ids)`), gathered per process: one broker message for up to
    `batch` ids, sent when the batch is full or `wait` seconds after its first id (a timer
    thread), and at the process's exit. Each web worker books many times a second under load:
    a broker message per booking costs more CPU than the booking's own rows. An id whose message
    is lost (the process killed, the broker down) is left to the caller's sweep. Without a broker
    (eager mode) each id is handed over at once, in the caller's thread."""

    def __init__(self, task, *, batch: int, wait: float):
        self.task, self.batch, self.wait = task, batch, wait
        self._reset()
        os.register_at_fork(after_in_child=self._reset)  # a child owns none of its parent's ids
        atexit.register(self.flush)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._ids: list = []
        self._timer: threading.Timer | None = None

    def add(self, item) -> None:
        if self.task.app.conf.task_always_eager:
            delay_safely(self.task, [item])
            return
        with self._lock:
            self._ids.append(item)
            if len(self._ids) < self.batch:
                if self._timer is None:
                    self._timer = threading.Timer(self.wait, self.flush)
                    self._timer.daemon = True
                    self._timer.start()
                return
            ids = self._take()
        delay_safely(self.task, ids)

    def flush(self) -> None:
        """Hand over what is gathered now."""
        with self._lock:
            ids = self._take()
        if ids:
            delay_safely(self.task, ids)

    def discard(self) -> list:
        """Forget what is gathered (its rows stay for the sweep); returns it."""
        with self._lock:
            return self._take()

    def _take(self) -> list:
        ids, self._ids = self._ids, []
        if self._timer is not None:
            self._timer.cancel()  # a no-op when the timer itself is flushing
            self._timer = None
        return ids
