"""The telemetry ingest process in the production topology: started like the other services
against the MQTT broker (SMOKE_MQTT_URL, default mqtt://127.0.0.1:1883) under a private topic
prefix, it must store a reading a machine publishes and move the item's operating hours."""

import json
import os
import time
import uuid

from .report import check, expect
from .stack import PYTHON, Smoke

MQTT_URL = os.environ.get("SMOKE_MQTT_URL", "mqtt://127.0.0.1:1883")


def telemetry_journey(smoke: Smoke) -> None:
    import paho.mqtt.client as mqtt
    import psycopg

    prefix = f"lwsmoke{os.getpid()}"
    smoke.env.update(
        MQTT_URL=MQTT_URL, MQTT_TOPIC_PREFIX=prefix, MQTT_CLIENT_ID=f"smoke-{uuid.uuid4().hex[:8]}"
    )
    heartbeat = smoke.workdir / "telemetry.alive"
    smoke.start(
        "telemetry",
        [PYTHON, "manage.py", "telemetry_ingest", "--heartbeat-file", str(heartbeat)],
    )
    with check("telemetry ingest process is running (heartbeat)"):
        smoke.wait_for("telemetry heartbeat", heartbeat.exists)
        expect(smoke.processes["telemetry"].poll() is None, "telemetry_ingest exited")

    url = smoke.env["DATABASE_URL"]
    with psycopg.connect(url, connect_timeout=10) as conn:
        item_id, number, hours = conn.execute(
            "SELECT id, inventory_number, operating_hours FROM workshops_equipment "
            "WHERE status = 'available' ORDER BY id LIMIT 1"
        ).fetchone()
    target = float(hours) + 12.5

    with check(f"a reading published for {number} is stored and moves its operating hours"):
        host, _, port = MQTT_URL.split("//", 1)[1].rpartition("@")[2].partition(":")
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"smoke-pub-{prefix}")
        client.connect(host, int(port or 1883))
        client.loop_start()
        try:
            # The ingest client subscribes right after its heartbeat; publish until it is seen.
            def stored():
                payload = {"ts": time.time(), "operating_hours": target}
                client.publish(f"{prefix}/{number}/counters", json.dumps(payload), qos=1)
                time.sleep(0.5)
                with psycopg.connect(url, connect_timeout=10) as conn:
                    row = conn.execute(
                        "SELECT e.operating_hours, (SELECT count(*) FROM "
                        "workshops_telemetryreading r WHERE r.equipment_id = e.id) "
                        "FROM workshops_equipment e WHERE e.id = %s",
                        (item_id,),
                    ).fetchone()
                return float(row[0]) == target and row[1] >= 1

            smoke.wait_for("reading stored", stored, every=0.5)
        finally:
            client.disconnect()
            client.loop_stop()
