import os
from collections.abc import Iterator, Mapping
from functools import cached_property

from celery import Celery

from .broker import use_for_redis_urls
from .logging import connect_celery_request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class DjangoSettings(Mapping):
    """Django's settings as Celery reads them (namespace CELERY), taken once when Celery first
    reads its configuration. Celery looks up about a dozen names per published task, most of them
    absent from Django's settings, and each absent name costs an AttributeError raised through
    Django's lazy settings object. Settings do not change while a process runs; a test changes
    the app's conf (`app.conf.update`)."""

    @cached_property
    def _values(self) -> dict:
        from django.conf import settings

        return {name: getattr(settings, name) for name in dir(settings) if name.isupper()}

    def __getitem__(self, name):
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


use_for_redis_urls()
app = Celery("lernwerkstatt")
app.config_from_object(DjangoSettings(), namespace="CELERY")
app.autodiscover_tasks()

# Log lines of a task carry the id of the request that enqueued it (config/logging.py).
connect_celery_request_id()
