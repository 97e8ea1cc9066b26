"""Celery discovers `courses.tasks`; the tasks live in one module per service area."""

from .booking import *  # noqa: F403
from .mail import *  # noqa: F403
from .planning import *  # noqa: F403
