import os

from celery import Celery

from .logging import connect_celery_request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("lernwerkstatt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Log lines of a task carry the id of the request that enqueued it (config/logging.py).
connect_celery_request_id()
