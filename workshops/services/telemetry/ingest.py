"""The ingest loop: paho-mqtt receives on its network thread and only queues; this thread stores
the queue in batches (store_batch) and now and then turns lasting errors into defects. paho
reconnects by itself after a broker restart and on_connect subscribes again; with a fixed client
id and clean_session off the broker keeps QoS 1 messages while we are away."""

import collections
import datetime as dt
import logging
import ssl
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt
from django.db import close_old_connections
from django.db.utils import DatabaseError
from django.utils import timezone

from .defects import escalate_errors
from .store import BatchResult, IngestState, store_batch

log = logging.getLogger("workshops.telemetry")

MAX_QUEUE = 200_000  # beyond this (database gone for minutes) the oldest messages are dropped
ESCALATE_EVERY = 30.0  # seconds between checks for lasting errors
DRAIN_SECONDS = 10.0  # at shutdown, how long to keep storing what is queued


def subscriptions(prefix: str, octoprint_prefix: str) -> list[str]:
    return [
        f"{prefix}/+/+",
        f"{octoprint_prefix}/+/event/+",
        f"{octoprint_prefix}/+/progress/+",
        f"{octoprint_prefix}/+/temperature/+",
        f"{octoprint_prefix}/+/mqtt",
    ]


class Ingestor:
    def __init__(
        self,
        *,
        url: str,
        client_id: str,
        prefix: str,
        octoprint_prefix: str,
        batch_size: int = 1000,
        flush_seconds: float = 0.5,
        clean_session: bool = False,
        heartbeat_file: str = "",
    ):
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl"):
            raise ValueError("MQTT_URL must start with mqtt:// or mqtts://")
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or (8883 if parts.scheme in ("mqtts", "ssl") else 1883)
        self.topics = subscriptions(prefix, octoprint_prefix)
        self.state = IngestState(prefix=prefix, octoprint_prefix=octoprint_prefix)
        self.batch_size, self.flush_seconds = batch_size, flush_seconds
        self.totals = BatchResult()
        self.connects = self.disconnects = self.dropped = 0
        self.connected = threading.Event()
        self.subscribed = threading.Event()
        self._queue: collections.deque = collections.deque()
        self._last_escalation = 0.0
        self.heartbeat = Path(heartbeat_file) if heartbeat_file else None
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=clean_session
        )
        if parts.username:
            self.client.username_pw_set(unquote(parts.username), unquote(parts.password or ""))
        if parts.scheme in ("mqtts", "ssl"):
            self.client.tls_set(cert_reqs=ssl.CERT_REQUIRED)
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *args: self.subscribed.set()

    # paho's network thread -------------------------------------------------------------------
    def _on_connect(self, client, userdata, flags, reason_code, properties=None):
        if reason_code.is_failure:
            log.error("telemetry: broker refused the connection: %s", reason_code)
            return
        client.subscribe([(topic, 1) for topic in self.topics])
        self.connects += 1
        self.connected.set()
        log.info("telemetry: connected to %s:%s, subscribed", self.host, self.port)

    def _on_disconnect(self, client, userdata, flags, reason_code, properties=None):
        self.connected.clear()
        self.subscribed.clear()
        self.disconnects += 1
        log.warning("telemetry: disconnected (%s); reconnecting", reason_code)

    def _on_message(self, client, userdata, message):
        if len(self._queue) >= MAX_QUEUE:
            self._queue.popleft()
            self.dropped += 1
        self._queue.append((message.topic, message.payload, time.time()))

    # this thread -----------------------------------------------------------------------------
    def start(self) -> None:
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def pending(self) -> int:
        return len(self._queue)

    def pump(self) -> BatchResult:
        """Store what is queued, at most one batch; wait up to flush_seconds for a full one."""
        deadline = time.monotonic() + self.flush_seconds
        while len(self._queue) < self.batch_size and time.monotonic() < deadline:
            time.sleep(0.01)
        batch = []
        while self._queue and len(batch) < self.batch_size:
            topic, payload, received = self._queue.popleft()
            batch.append((topic, payload, dt.datetime.fromtimestamp(received, tz=dt.UTC)))
        result = BatchResult()
        if batch:
            result = self._store(batch)
        if time.monotonic() - self._last_escalation >= ESCALATE_EVERY:
            self.escalate()
        if self.heartbeat is not None:
            self.heartbeat.touch()
        return result

    def escalate(self) -> None:
        self._last_escalation = time.monotonic()
        try:
            escalate_errors(now=timezone.now())
        except DatabaseError:
            log.exception("telemetry: checking lasting errors failed; trying again later")
            close_old_connections()

    def _store(self, batch) -> BatchResult:
        try:
            result = store_batch(messages=batch, state=self.state, now=timezone.now())
        except DatabaseError:
            # The database went away: keep the batch for the next round, reconnect then.
            log.exception("telemetry: storing %d readings failed; retrying", len(batch))
            for topic, payload, received in reversed(batch):
                self._queue.appendleft((topic, payload, received.timestamp()))
            close_old_connections()
            time.sleep(1)
            return BatchResult()
        for name in ("stored", "malformed", "unknown", "ignored", "throttled"):
            setattr(self.totals, name, getattr(self.totals, name) + getattr(result, name))
        return result

    def run(self, stop: threading.Event) -> None:
        self.start()
        try:
            while not stop.is_set():
                self.pump()
            # What arrived before the stop is stored, not lost; but a database that is gone does
            # not keep the process from ending (QoS 1 messages not yet received stay queued at
            # the broker for the next start).
            deadline = time.monotonic() + DRAIN_SECONDS
            while self._queue and time.monotonic() < deadline:
                self.pump()
            if self._queue:
                log.error("telemetry: %d readings not stored at shutdown", len(self._queue))
        finally:
            self.stop()
