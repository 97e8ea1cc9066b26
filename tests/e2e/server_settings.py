"""Settings of the live server the browser tests drive: the product's own settings, with e-mail
written to files (the test reads the confirmation link there, as a person reads their inbox)."""

import os

from config.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["E2E_MAIL_DIR"]


class _NoMigrations(dict):
    """Every app "has no migrations": `migrate --run-syncdb` creates the tables straight from the
    models, three times faster than replaying the migrations. Equivalent on SQLite (the only
    RunSQL migrations add PostgreSQL exclusion constraints); the suite itself runs them."""

    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


if os.environ.get("E2E_SYNCDB") == "1":
    MIGRATION_MODULES = _NoMigrations()
