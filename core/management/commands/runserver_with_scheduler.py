"""`runserver` plus the embedded scheduler (core.scheduler) in the same process: what `make run`
starts. Refuses to schedule when a broker is configured, where beat's job is this."""

from django.conf import settings
from django.core.management.commands.runserver import Command as RunserverCommand

from core.scheduler import EmbeddedScheduler


class Command(RunserverCommand):
    help = "Development server with the periodic tasks run in-process (no broker, no beat)."

    def inner_run(self, *args, **options):
        # Runs in the autoreloader's child: one scheduler per serving process.
        if settings.CELERY_BROKER_URL:
            self.stdout.write("A broker is configured: run `celery -A config beat` instead.")
        else:
            EmbeddedScheduler().start()
            self.stdout.write("Periodic tasks run in this process (expired holds, reminders, …).")
        return super().inner_run(*args, **options)
