"""Run the telemetry ingest process: subscribe to MQTT_URL and store readings until stopped
(SIGTERM or Ctrl-C finish the current batch first)."""

import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workshops.services.telemetry.ingest import Ingestor

log = logging.getLogger("workshops.telemetry")


class Command(BaseCommand):
    help = "Store equipment telemetry published over MQTT (MQTT_URL)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=None, help="broker URL (default: MQTT_URL)")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--flush-seconds", type=float, default=0.5)
        parser.add_argument(
            "--heartbeat-file", default="", help="touched after every batch (health check)"
        )

    def handle(
        self, *args, url=None, batch_size=1000, flush_seconds=0.5, heartbeat_file="", **options
    ):
        url = url or settings.MQTT_URL
        if not url:
            raise CommandError("MQTT_URL is not set: telemetry is off.")
        try:
            ingestor = Ingestor(
                url=url,
                client_id=settings.MQTT_CLIENT_ID,
                prefix=settings.MQTT_TOPIC_PREFIX,
                octoprint_prefix=settings.MQTT_OCTOPRINT_PREFIX,
                batch_size=batch_size,
                flush_seconds=flush_seconds,
                heartbeat_file=heartbeat_file,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        self.stdout.write(f"telemetry: ingesting from {ingestor.host}:{ingestor.port}")
        ingestor.run(stop)
        totals = ingestor.totals
        self.stdout.write(
            f"telemetry: stopped; stored {totals.stored}, malformed {totals.malformed}, "
            f"unknown {totals.unknown}, ignored {totals.ignored}"
        )
