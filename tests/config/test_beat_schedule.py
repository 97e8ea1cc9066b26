"""The periodic-task schedule as production beat sees it: once lost to a one-line formatting
change, so it is proved in a fresh process with production settings and a broker configured."""

import ast
from pathlib import Path

from tests.test_deploy_settings import _in_production

ROOT = Path(__file__).resolve().parents[2]

# Read as celery's beat reads it: the configured app, its schedule and its task registry.
_SCHEDULE_PROBE = """
from config.celery import app
app.loader.import_default_modules()
schedule = app.conf.beat_schedule
print(json.dumps({
    "eager": bool(app.conf.task_always_eager),
    "entries": {name: entry["task"] for name, entry in schedule.items()},
    "registered": sorted(name for name in app.tasks if not name.startswith("celery.")),
}))
"""


def _periodic_tasks_declared_in_code() -> set[str]:
    """Every task name the apps' schedule modules name, read from the source itself."""
    names = set()
    for path in ROOT.glob("*/schedule.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "task":
                        names.add(value.value)
    return names


def test_production_beat_schedule_lists_every_periodic_task_and_each_is_registered(tmp_path):
    seen = _in_production(tmp_path, _SCHEDULE_PROBE, CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    assert not seen["eager"]
    tasks = set(seen["entries"].values())
    assert tasks, "beat would schedule nothing"
    assert tasks == _periodic_tasks_declared_in_code()
    unregistered = tasks - set(seen["registered"])
    assert not unregistered, f"beat names tasks no worker knows: {sorted(unregistered)}"


def test_the_daily_duties_are_in_the_schedule(tmp_path):
    # The work users notice when it stops: holds released, reminders sent, waiting lists promoted,
    # webhooks retried, maintenance announced, runs below minimum flagged.
    seen = _in_production(tmp_path, _SCHEDULE_PROBE, CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    assert {
        "courses.tasks.booking.release_expired_holds",
        "courses.tasks.booking.send_reminders",
        "courses.tasks.booking.promote_waiting_lists",
        "courses.tasks.planning.flag_runs_below_minimum",
        "workshops.tasks.notify_maintenance_due",
        "api.tasks.deliver_due",
    } <= set(seen["entries"].values())
