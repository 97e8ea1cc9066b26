"""Settings for the test suite: the normal settings with TESTING on (fast hashing, no SSL redirect)."""

import os

os.environ.setdefault("TESTING", "1")

from .settings import *  # noqa: E402,F403
