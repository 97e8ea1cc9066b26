"""Settings for the test suite: the normal settings with TESTING on (fast hashing, no SSL
redirect)."""

import os

os.environ.setdefault("TESTING", "1")

from .settings import *  # noqa: E402,F403

# Tests run without `collectstatic`: look static files up per request instead of scanning a
# STATIC_ROOT that does not exist (which warned once per test client).
WHITENOISE_AUTOREFRESH = True
