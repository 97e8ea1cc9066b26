"""Readings per second the telemetry ingest process stores, and its memory after 100,000.

    .venv/bin/python bench/telemetry_ingest.py                  # SQLite temp file
    .venv/bin/python bench/telemetry_ingest.py --db postgres    # lw_bench_tel_<pid>, dropped after
    .venv/bin/python bench/telemetry_ingest.py --messages 20000 --qos 0 --publisher paho

Builds a throwaway database with 20 items, starts a private Mosquitto on a free port with the
queue limits of docker/mosquitto/mosquitto.conf (the default of 1000 queued messages per client
drops a burst this size; MQTT_URL uses a broker of yours instead), starts the real
`manage.py telemetry_ingest` against it under a private topic prefix, and publishes N messages
(state, counters and energy of the 20 items, every 500th malformed and every 1000th for an
unknown item) at QoS 1 (or 0) from separate processes: Debian's `mosquitto_pub -l` fed from a
file per topic (default when installed) or paho clients with no wait per message. Publishing
and storing overlap, as with real devices.

Prints the machine's load average (it is shared), readings/s end to end (first publish to last
stored), the ingest process's receiving rate and its CPU seconds (readings per CPU second: what
it would store with a core to itself), the rate of the store path alone (store_batch on
prepared messages, no broker), and the ingest process's resident and peak memory after the run
(/proc/<pid>/status). `--py-spy PATH` records a profile of the ingest process."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
ITEMS = 20


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
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    conf = Path(workdir) / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\n"
        "max_queued_messages 200000\nmax_inflight_messages 100\n"
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
    parser.add_argument("--db-name", default="", help="PostgreSQL database (made, dropped)")
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--qos", type=int, choices=[0, 1], default=1)
    parser.add_argument(
        "--publisher",
        choices=["mosquitto_pub", "paho"],
        default="mosquitto_pub" if shutil.which("mosquitto_pub") else "paho",
    )
    parser.add_argument("--publishers", type=int, default=2, help="processes at once")
    parser.add_argument("--py-spy", default="", help="py-spy binary: profile the ingest")
    parser.add_argument("--py-spy-out", default="ingest-profile.txt")
    args = parser.parse_args()
    prefix = f"lwbench-{uuid.uuid4().hex[:8]}"
    tmp = tempfile.TemporaryDirectory()
    broker = None
    mqtt_url = os.environ.get("MQTT_URL")
    if not mqtt_url:
        broker, mqtt_url = _private_broker(tmp.name)
    if args.db == "postgres":
        import psycopg

        name = args.db_name or f"lw_bench_tel_{os.getpid()}"
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

    messages = list(_messages(prefix, args.messages))
    expected = sum(1 for *_, valid in messages if valid)
    host, port = _host_port(env["MQTT_URL"])
    ingest = subprocess.Popen(
        [sys.executable, "manage.py", "telemetry_ingest"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
    )
    spy = None
    try:
        _wait_until_subscribed(host, port, prefix)
        rss_start, _ = _memory(ingest.pid)
        cpu_start = _cpu_seconds(ingest.pid)
        load_before = os.getloadavg()
        if args.py_spy:
            spy = subprocess.Popen(  # noqa: S603 - the profiler the caller named
                [args.py_spy, "record", "-p", str(ingest.pid), "-r", "50", "--nonblocking"]
                + ["-f", "raw", "-o", args.py_spy_out],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        started = time.perf_counter()
        publish_s = _publish(args, messages, host, port)
        count = 0
        deadline = time.monotonic() + 900
        while count < expected and time.monotonic() < deadline:
            time.sleep(0.2)
            count = TelemetryReading.objects.count()
        elapsed = time.perf_counter() - started
        load_after = os.getloadavg()
        cpu = _cpu_seconds(ingest.pid) - cpu_start
        span = TelemetryReading.objects.order_by("received_at").values_list(
            "received_at", flat=True
        )
        first_at, last_at = span.first(), span.last()
        rss, peak = _memory(ingest.pid)
    finally:
        if spy is not None:
            spy.terminate()
            spy.wait(30)
        ingest.terminate()
        ingest.wait(30)
    received = (last_at - first_at).total_seconds() if first_at else 0.0
    print(
        f"machine: {os.cpu_count()} cores, load average before {load_before[0]:.2f}, "
        f"after {load_after[0]:.2f} (1 min)"
    )
    print(
        f"published: {args.messages} messages at QoS {args.qos} by {args.publishers} "
        f"{args.publisher} process(es) in {publish_s:.1f} s ({args.messages / publish_s:,.0f}/s)"
    )
    print(f"stored: {count} of {expected} valid readings")
    print(
        f"end to end: {count / elapsed:,.0f} readings/s (first publish to last stored, "
        f"{elapsed:.1f} s); ingest receiving: {count / max(received, 1e-9):,.0f} readings/s "
        f"(first to last received, {received:.1f} s)"
    )
    print(
        f"ingest CPU: {cpu:.1f} s for {count} readings = {count / max(cpu, 1e-9):,.0f} "
        "readings per CPU second (one core's worth: what it stores with a core to itself)"
    )
    print(
        f"ingest memory: {rss} MiB resident after {args.messages} messages "
        f"(at start {rss_start} MiB, peak {peak} MiB)"
    )
    alone = _store_path_alone(min(args.messages, 20_000))
    print(f"store path alone: {alone:,.0f} readings/s (store_batch, batches of 1,000)")
    ok = count == expected and count / elapsed >= 2000
    print(f"RESULT: {'OK' if ok else 'BELOW GOAL'}")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _publish(args, messages, host: str, port: int) -> float:
    """Publish everything from separate processes (so the publisher does not share this
    process's interpreter) and return the seconds until the last publisher finished."""
    started = time.perf_counter()
    if args.publisher == "mosquitto_pub":
        procs = _mosquitto_pub(args, messages, host, port)
        for proc in procs:
            if proc.wait(900) != 0:
                raise SystemExit(f"mosquitto_pub failed with {proc.returncode}")
    else:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        chunks = [messages[i :: args.publishers] for i in range(args.publishers)]
        procs = [
            ctx.Process(target=_paho_publisher, args=(chunk, host, port, args.qos))
            for chunk in chunks
        ]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(900)
            if proc.exitcode != 0:
                raise SystemExit(f"publisher failed with {proc.exitcode}")
    return time.perf_counter() - started


def _mosquitto_pub(args, messages, host: str, port: int):
    """Debian's mosquitto_pub reads one message per line of its standard input, all to one
    topic: one process per topic, fed from a file, at most `publishers` running at once
    (the rest start as earlier ones finish)."""

    binary = shutil.which("mosquitto_pub")
    if binary is None:
        raise SystemExit("mosquitto_pub not found (apt-get install mosquitto-clients)")
    by_topic: dict[str, list[str]] = {}
    for topic, payload, _ in messages:
        by_topic.setdefault(topic, []).append(payload)
    workdir = Path(tempfile.mkdtemp(prefix="lwbench-pub-"))
    files = []
    for i, (topic, payloads) in enumerate(by_topic.items()):
        path = workdir / f"{i}.txt"
        path.write_text("\n".join(payloads) + "\n")
        files.append((topic, path))
    running, done = [], []
    for topic, path in files:
        while len(running) >= args.publishers:
            time.sleep(0.005)
            still = [p for p in running if p.poll() is None]
            done += [p for p in running if p.poll() is not None]
            running = still
        with path.open("rb") as stdin:
            running.append(
                subprocess.Popen(  # noqa: S603 - the Mosquitto client with our arguments
                    [binary, "-h", host, "-p", str(port), "-q", str(args.qos), "-M", "1000"]
                    + ["-t", topic, "-l"],
                    stdin=stdin,
                )
            )
    return done + running


def _paho_publisher(chunk, host: str, port: int, qos: int) -> None:
    """One paho client, its network loop in a thread, no wait per message: at most 30,000
    unacknowledged (MQTT message ids are 16 bits)."""
    import paho.mqtt.client as mqtt

    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"pub-{uuid.uuid4().hex[:8]}")
    pub.max_inflight_messages_set(1000)
    pub.max_queued_messages_set(0)
    pub.connect(host, port)
    pub.loop_start()
    infos = []
    for i, (topic, payload, _) in enumerate(chunk):
        if i >= 30_000:
            infos[i - 30_000].wait_for_publish(timeout=120)
        infos.append(pub.publish(topic, payload, qos=qos))
    for info in infos[-30_000:]:
        info.wait_for_publish(timeout=120)
    pub.disconnect()
    pub.loop_stop()


def _wait_until_subscribed(host: str, port: int, prefix: str) -> None:
    """Django starts slowly on a busy machine: messages published before the ingest process has
    subscribed are lost. Publish a probe until one is stored, then start from an empty table."""
    import paho.mqtt.client as mqtt

    from workshops.models import EquipmentTelemetry, TelemetryReading

    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"probe-{prefix}")
    pub.connect(host, port)
    pub.loop_start()
    deadline = time.monotonic() + 180
    while not TelemetryReading.objects.exists():
        if time.monotonic() > deadline:
            raise SystemExit("the ingest process never stored the probe reading")
        probe = {"ts": time.time(), "state": "idle"}
        pub.publish(f"{prefix}/BENCH-000/state", json.dumps(probe), qos=1)
        time.sleep(0.5)
    pub.disconnect()
    pub.loop_stop()
    time.sleep(1)
    TelemetryReading.objects.all().delete()
    EquipmentTelemetry.objects.all().delete()


def _host_port(url: str) -> tuple[str, int]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 1883


if __name__ == "__main__":
    main()
