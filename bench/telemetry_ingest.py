"""Readings per second the telemetry ingest process stores, and its memory after 100,000.

    .venv/bin/python bench/telemetry_ingest.py                  # SQLite temp file
    .venv/bin/python bench/telemetry_ingest.py --db postgres    # lw_bench_tel_<pid>, dropped after
    .venv/bin/python bench/telemetry_ingest.py --messages 20000

Builds a throwaway database with 20 items, starts a private Mosquitto on a free port with the
queue limits of docker/mosquitto/mosquitto.conf (the default of 1000 queued messages per client
drops a burst this size; MQTT_URL uses a broker of yours instead), starts the real
`manage.py telemetry_ingest` against it under a private topic prefix,
publishes N messages (state, counters and energy of the 20 items, every 500th malformed and
every 1000th for an unknown item) at QoS 1 in waves of 20,000, each leaving when the ingest
process has stored the one before, until all valid readings are stored. Prints readings/s
stored (first publish to last stored, publisher and ingest sharing the cores), the rate of the
store path alone
(store_batch on prepared messages, no broker), and the ingest process's resident and peak
memory after the run (/proc/<pid>/status)."""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
ITEMS = 20
WAVE = 20_000


def _memory(pid: int) -> tuple[int, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024


def _messages(prefix: str, n: int):
    now = time.time()
    for i in range(n):
        number = f"BENCH-{i % ITEMS:03d}"
        if i % 1000 == 999:
            yield f"{prefix}/NO-SUCH-{i % 5}/state", json.dumps({"ts": now, "state": "idle"}), False
        elif i % 500 == 499:
            yield f"{prefix}/{number}/state", "{broken", False
        elif i % 3 == 0:
            yield f"{prefix}/{number}/state", json.dumps({"ts": now, "state": "busy"}), True
        elif i % 3 == 1:
            payload = {"ts": now, "operating_hours": round(100 + i / 1000, 2)}
            yield f"{prefix}/{number}/counters", json.dumps(payload), True
        else:
            payload = {"ts": now, "energy_kwh": round(10 + i / 10000, 3), "power_w": 180}
            yield f"{prefix}/{number}/energy", json.dumps(payload), True


def _setup(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from people.models import District, School
    from workshops.models import Equipment, EquipmentType, Workshop

    call_command("migrate", verbosity=0, interactive=False)
    district = District.objects.create(name="Bench", code=f"bench{os.getpid()}")
    school = School.objects.create(district=district, name="BBS Bench", code="BENCH")
    workshop = Workshop.objects.create(school=school, name="Werkstatt", seats=16)
    printer = EquipmentType.objects.create(name="Drucker", slug="drucker")
    Equipment.objects.bulk_create(
        Equipment(school=school, workshop=workshop, type=printer, inventory_number=f"BENCH-{i:03d}")
        for i in range(ITEMS)
    )


def _store_path_alone(n: int) -> float:
    from django.utils import timezone

    from workshops.models import TelemetryReading
    from workshops.services.telemetry import IngestState, store_batch

    TelemetryReading.objects.all().delete()
    state = IngestState(prefix="alone", octoprint_prefix="octoAlone")
    now = timezone.now()
    batch = [(t, p.encode(), now) for t, p, _ in _messages("alone", n)]
    started = time.perf_counter()
    for i in range(0, len(batch), 1000):
        store_batch(messages=batch[i : i + 1000], state=state, now=timezone.now())
    return TelemetryReading.objects.count() / (time.perf_counter() - started)


def _private_broker(workdir: str):
    import shutil
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    conf = Path(workdir) / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\n"
        "max_queued_messages 100000\nmax_inflight_messages 100\n"
    )
    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    broker = subprocess.Popen(  # noqa: S603 - the broker binary with our config
        [binary, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(1)
    return broker, f"mqtt://127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args()
    prefix = f"lwbench-{uuid.uuid4().hex[:8]}"
    tmp = tempfile.TemporaryDirectory()
    broker = None
    mqtt_url = os.environ.get("MQTT_URL")
    if not mqtt_url:
        broker, mqtt_url = _private_broker(tmp.name)
    if args.db == "postgres":
        import psycopg

        name = f"lw_bench_tel_{os.getpid()}"
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        db_url = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        db_url = f"sqlite:///{tmp.name}/bench.sqlite3"
    env = {
        "DATABASE_URL": db_url,
        "SECRET_KEY": "bench-only-" + uuid.uuid4().hex,
        "MQTT_URL": mqtt_url,
        "MQTT_TOPIC_PREFIX": prefix,
        "MQTT_CLIENT_ID": f"bench-{prefix}",
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    try:
        _setup(env)
        _run(args, env, prefix)
    finally:
        if args.db == "postgres":
            from django.db import connections

            connections.close_all()
            with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if broker is not None:
            broker.terminate()
            broker.wait(10)
        tmp.cleanup()


def _run(args, env, prefix) -> None:
    from workshops.models import TelemetryReading

    expected = sum(1 for *_, valid in _messages(prefix, args.messages) if valid)
    ingest = subprocess.Popen(
        [sys.executable, "manage.py", "telemetry_ingest"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
    )
    try:
        # Published in waves of WAVE messages at QoS 1 (MQTT message ids are 16 bits: paho
        # refuses more than 65,535 unacknowledged); the next wave leaves once the ingest process
        # has stored the one before.
        import paho.mqtt.client as mqtt

        pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"pub-{prefix}")
        pub.max_inflight_messages_set(1000)
        pub.connect(*_host_port(env["MQTT_URL"]))
        pub.loop_start()
        _wait_until_subscribed(pub, prefix)
        rss_start, _ = _memory(ingest.pid)
        published = time.perf_counter()
        wave, valid_so_far, publish_s = [], 0, 0.0
        for topic, payload, valid in _messages(prefix, args.messages):
            wave.append(pub.publish(topic, payload, qos=1))
            valid_so_far += valid
            if len(wave) == WAVE:
                publish_s += _finish_wave(wave, valid_so_far)
                wave = []
        if wave:
            publish_s += _finish_wave(wave, valid_so_far)
        pub.disconnect()
        pub.loop_stop()
        first_at = last_at = None
        count = 0
        deadline = time.monotonic() + 600
        while count < expected and time.monotonic() < deadline:
            time.sleep(0.5)
            count = TelemetryReading.objects.count()
        span = TelemetryReading.objects.order_by("received_at").values_list(
            "received_at", flat=True
        )
        first_at, last_at = span.first(), span.last()
        stored_at = TelemetryReading.objects.order_by("-id").values_list("id", flat=True).first()
        rss, peak = _memory(ingest.pid)
    finally:
        ingest.terminate()
        ingest.wait(30)
    elapsed = time.perf_counter() - published
    print(
        f"messages published: {args.messages} in {publish_s:.1f} s "
        f"({args.messages / publish_s:,.0f}/s)"
    )
    print(f"readings stored: {count} of {expected} expected (last id {stored_at})")
    print(
        f"ingest stored: {count / elapsed:,.0f} readings/s end to end "
        f"(first publish to last stored, {elapsed:.1f} s; received span "
        f"{(last_at - first_at).total_seconds() if first_at else 0:.1f} s)"
    )
    print(
        f"ingest memory: {rss} MiB resident after {args.messages} messages "
        f"(at start {rss_start} MiB, peak {peak} MiB)"
    )
    print(f"store path alone: {_store_path_alone(min(args.messages, 20_000)):,.0f} readings/s")
    print(f"RESULT: {'OK' if count == expected and count / elapsed >= 2000 else 'BELOW GOAL'}")


def _wait_until_subscribed(pub, prefix: str) -> None:
    """Django starts slowly on a busy machine: messages published before the ingest process has
    subscribed are lost. Publish a probe until one is stored, then start from an empty table."""
    from workshops.models import EquipmentTelemetry, TelemetryReading

    deadline = time.monotonic() + 180
    while not TelemetryReading.objects.exists():
        if time.monotonic() > deadline:
            raise SystemExit("the ingest process never stored the probe reading")
        probe = {"ts": time.time(), "state": "idle"}
        pub.publish(f"{prefix}/BENCH-000/state", json.dumps(probe), qos=1)
        time.sleep(0.5)
    time.sleep(1)
    TelemetryReading.objects.all().delete()
    EquipmentTelemetry.objects.all().delete()


def _finish_wave(wave, valid_so_far: int) -> float:
    """Wait until the broker acknowledged the wave and the ingest process stored it; returns
    the seconds spent publishing (until the last acknowledgement)."""
    from workshops.models import TelemetryReading

    started = time.perf_counter()
    for info in wave:
        info.wait_for_publish(timeout=120)
    acked = time.perf_counter() - started
    deadline = time.monotonic() + 300
    while TelemetryReading.objects.count() < valid_so_far and time.monotonic() < deadline:
        time.sleep(0.05)
    return acked


def _host_port(url: str) -> tuple[str, int]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 1883


if __name__ == "__main__":
    main()
