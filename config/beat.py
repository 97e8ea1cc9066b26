"""The beat schedule, merged from the apps: each app declares its periodic tasks in
`<app>/schedule.py`, next to its tasks. django-celery-beat's DatabaseScheduler installs the merged
entries when beat starts. tests/config/test_beat_schedule.py fails when an app's schedule is not
merged or an entry names a task that is not registered."""

import importlib
import importlib.util


def collect_schedule(apps: list[str]) -> dict:
    schedule: dict = {}
    for app in apps:
        module_name = f"{app}.schedule"
        if importlib.util.find_spec(module_name) is None:
            continue
        for name, entry in importlib.import_module(module_name).SCHEDULE.items():
            if name in schedule:
                raise ValueError(f"periodic task {name!r} declared twice")
            schedule[name] = entry
    return schedule
