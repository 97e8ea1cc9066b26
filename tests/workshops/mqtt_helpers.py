"""Helpers for the telemetry tests against the real Mosquitto broker: a private topic prefix per
test (tests run in parallel on one broker), a publisher, and pumping the ingest loop in the test's
own thread until the database shows what was published."""

import json
import socket
import time
import uuid

import paho.mqtt.client as mqtt

from workshops.services.telemetry.ingest import Ingestor

BROKER = ("127.0.0.1", 1883)


def broker_up(host: str = BROKER[0], port: int = BROKER[1]) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def make_ingestor(*, port: int = BROKER[1]) -> Ingestor:
    tag = uuid.uuid4().hex[:10]
    return Ingestor(
        url=f"mqtt://127.0.0.1:{port}",
        client_id=f"test-ingest-{tag}",
        prefix=f"lwtest-{tag}",
        octoprint_prefix=f"optest-{tag}",
        flush_seconds=0.05,
        clean_session=True,
    )


def wait_for(condition, timeout: float = 15.0, step=None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if step is not None:
            step()
        if condition():
            return True
        time.sleep(0.02)
    return False


class Publisher:
    def __init__(self, port: int = BROKER[1]):
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=f"pub-{uuid.uuid4().hex[:10]}"
        )
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()

    def send(self, topic: str, payload) -> None:
        body = payload if isinstance(payload, bytes | str) else json.dumps(payload)
        info = self.client.publish(topic, body, qos=1)
        info.wait_for_publish(timeout=5)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
