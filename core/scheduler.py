"""The beat schedule without beat: for the embedded mode (`make run`, no broker, eager tasks), a
thread beside the development server runs every periodic task of settings.CELERY_BEAT_SCHEDULE
when it is due, so that expired holds are released, reminders sent and waiting lists promoted on
a laptop too. In production beat does this (exactly one per installation); never run both.

Every entry runs once when the scheduler starts (what would have happened while the laptop was
off), then on its own schedule. A failing task is logged and tried again at its next turn."""

import datetime as dt
import logging
import threading

from celery import current_app
from celery.schedules import schedule as every
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)


class EmbeddedScheduler:
    def __init__(self, entries: dict | None = None, *, tick_seconds: float = 15.0):
        current_app.loader.import_default_modules()  # every app's tasks, as a worker has them
        entries = settings.CELERY_BEAT_SCHEDULE if entries is None else entries
        self.entries = {
            name: (
                entry["task"],
                entry["schedule"]
                if hasattr(entry["schedule"], "is_due")
                else every(dt.timedelta(seconds=float(entry["schedule"]))),
                entry.get("args", ()),
                entry.get("kwargs", {}),
            )
            for name, entry in entries.items()
        }
        self.last_run: dict[str, dt.datetime | None] = dict.fromkeys(self.entries)
        self.tick_seconds = tick_seconds
        self._stop = threading.Event()

    def run_pending(self, now: dt.datetime | None = None) -> list[str]:
        """Run every entry that is due now (all of them the first time); returns their names."""
        now = now or timezone.now()
        ran = []
        for name, (task_name, schedule, args, kwargs) in self.entries.items():
            last = self.last_run[name]
            if last is not None:
                # Celery's schedules compare in their own clock: give them ours.
                schedule.nowfun = lambda now=now: now
                if not schedule.is_due(last).is_due:
                    continue
            self.last_run[name] = now
            try:
                current_app.tasks[task_name].apply(args=args, kwargs=kwargs, throw=True)
                ran.append(name)
            except Exception:  # noqa: BLE001 - one failing task must not stop the others
                logger.exception("scheduled task %s failed; tried again at its next turn", name)
        return ran

    def loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_pending()
            finally:
                close_old_connections()  # this thread's connection, as after a request
            self._stop.wait(self.tick_seconds)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.loop, name="embedded-scheduler", daemon=True)
        thread.start()
        logger.info("embedded scheduler started: %d periodic tasks", len(self.entries))
        return thread

    def stop(self) -> None:
        self._stop.set()
