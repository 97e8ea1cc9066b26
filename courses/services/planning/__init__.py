"""The planning service: courses, runs, sessions and series, conflicts, and the equipment
reservations of sessions.

The public API is what this package re-exports below; callers write `planning.create_run(...)`.
Modules: `courses`, `runs` (status changes and the below-minimum flag), `sessions` (with their
equipment), `series`, `conflicts` (workshop, instructor and equipment overlaps, named in the
message) and `checks` (shared input checks, UNSET for updates)."""

from .checks import MAX_SESSION_LENGTH, UNSET
from .conflicts import check_session_conflicts, describe_session, find_conflict
from .courses import create_course, update_course
from .drafts import check_run_deletable, delete_draft_run
from .runs import (
    RUN_FIELDS,
    cancel_run,
    complete_run,
    create_run,
    flag_runs_below_minimum,
    publish_run,
    release_run_equipment,
    unpublish_run,
    update_run,
)
from .series import DAILY, MAX_SERIES_LENGTH, WEEKLY, create_series, local_datetime, series_dates
from .sessions import (
    add_session,
    cancel_session,
    reserve_equipment_for_session,
    sync_run_dates,
    units_needed,
    update_session,
)

__all__ = [
    "DAILY",
    "MAX_SERIES_LENGTH",
    "MAX_SESSION_LENGTH",
    "RUN_FIELDS",
    "UNSET",
    "WEEKLY",
    "add_session",
    "cancel_run",
    "cancel_session",
    "check_run_deletable",
    "check_session_conflicts",
    "complete_run",
    "create_course",
    "create_run",
    "create_series",
    "delete_draft_run",
    "describe_session",
    "find_conflict",
    "flag_runs_below_minimum",
    "local_datetime",
    "publish_run",
    "release_run_equipment",
    "reserve_equipment_for_session",
    "series_dates",
    "sync_run_dates",
    "units_needed",
    "unpublish_run",
    "update_course",
    "update_run",
    "update_session",
]
