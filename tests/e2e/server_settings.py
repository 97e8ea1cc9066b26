"""Settings of the live server the browser tests drive: the product's own settings, with e-mail
written to files (the test reads the confirmation link there, as a person reads their inbox)."""

import os

from config.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["E2E_MAIL_DIR"]
