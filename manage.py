#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if "SECRET_KEY" not in os.environ and "DEBUG" not in os.environ:
        # A bare checkout with no configuration at all is a developer's machine: run management
        # commands in the embedded mode. Production always sets SECRET_KEY, so it never gets here,
        # and the web process (config.wsgi) still refuses to start without one.
        os.environ["DEBUG"] = "1"
        print(
            "manage.py: no SECRET_KEY or DEBUG set, using development mode (DEBUG=1)",
            file=sys.stderr,
        )
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
