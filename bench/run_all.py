"""`make bench`: every benchmark, one table, written to bench/results.md.

Ours (bench/catalogue.py, bench/queries.py) share one pair of data sets (bench/dataset.py);
the others (booking race, certificates, API sync, conflict check) run as their own scripts, each
with a time limit, and their headline figures are read from what they print. A script that is
missing or fails shows as "not available" with the reason, and the table is still written.

The whole run must stay within fifteen minutes on a two-core machine (pretix's first install and
migrate included: they run beside our migrate and data sets); the table records its duration.
"""

import contextlib
import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

import catalogue  # noqa: E402
import dataset  # noqa: E402
import queries  # noqa: E402

RESULTS = BENCH / "results.md"
# `make bench` must end within fifteen minutes: the other scripts get what is left of this (each at
# most its own limit); one that cannot finish in time shows as not available; the table is written.
BUDGET = float(os.environ.get("BENCH_BUDGET", "840"))
# BENCH_QUICK=1: one round of the pretix pairs (a check that every script still runs).
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
PG_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


# --- the other benchmarks: how to run them and what to read from their output -------------------


def _booking(out: str) -> list[tuple[str, str]]:
    rate = re.search(r"bookings: (\d+) in ([\d.]+) s = ([\d.]+) bookings/s", out)
    latency = re.search(r"latency: (.+)", out)
    counts = re.search(r"confirmed: (\d+).*waitlisted: (\d+)", out)
    verdict = re.search(r"RESULT: (\w+)", out)
    gapless = re.search(r"gapless, no repeats: (\w+)", out)
    rows = [("bookings per second", f"{rate.group(3)} ({rate.group(1)} in {rate.group(2)} s)")]
    if latency:
        rows.append(("latency", latency.group(1)))
    if counts:
        rows.append(("confirmed / waitlisted", f"{counts.group(1)} / {counts.group(2)}"))
    if gapless:
        rows.append(("waiting list 1..N gapless", gapless.group(1)))
    if verdict:
        rows.append(("result", verdict.group(1)))
    return rows


def _certificates(out: str) -> list[tuple[str, str]]:
    rows = []
    labels = (
        "full issue (bulk job)",
        "e-mail sent (worker)",
        "our PDF layout only",
        "bare reportlab page",
    )
    for label in labels:
        match = re.search(
            re.escape(label) + r"\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", out
        )
        if match:
            rows.append(
                (
                    f"{label}: per s (per CPU s)",
                    f"{match.group(3)} ({match.group(5)}), n={match.group(1)}",
                )
            )
    for line in re.findall(r"^(ratio .+|average PDF size: .+)$", out, re.M):
        name, _, value = line.partition(":")
        rows.append((name, value.strip()))
    if not rows:
        raise ValueError("no figures found in its output")
    return rows


def _api_sync(out: str) -> list[tuple[str, str]]:
    synced = re.search(r"synced ([\d,]+) enrolments in (\d+) pages of (\d+) in ([\d.]+) s", out)
    rate = re.search(r"records per second: ([\d,]+)", out)
    memory = re.search(r"peak RSS \(VmHWM\): (.+)", out)
    rows = [
        (
            "records per second",
            f"{rate.group(1)} ({synced.group(1)} in {synced.group(2)} pages of "
            f"{synced.group(3)}, {synced.group(4)} s)",
        )
    ]
    if memory:
        rows.append(("gunicorn worker peak memory", memory.group(1)))
    return rows


def _peer(out: str) -> list[tuple[str, str]]:
    rows = []
    load = re.search(r"load average during the run ([\d.]+-[\d.]+)", out)
    skipped = re.search(r"^(pretix skipped: .+)$", out, re.M)
    if skipped:
        rows.append(("pretix", skipped.group(1)))
    for match in re.finditer(r"^(\([abc]\)) (.+?): (ours .+)$", out, re.M):
        rows.append((f"{match.group(1)} {match.group(2)}", match.group(3)))
    if load:
        rows.append(("load average during the pairs", load.group(1)))
    if not rows:
        raise ValueError("no figures found in its output")
    return rows


def _conflicts(out: str) -> list[tuple[str, str]]:
    rows = []
    for match in re.finditer(
        r"\[(\w+)\] (\d+) sessions: find_conflict median ([\d.]+) ms, p95 ([\d.]+) ms.*?"
        r"add_session median ([\d.]+) ms, p95 ([\d.]+) ms",
        out,
    ):
        db, n, med, p95, add_med, add_p95 = match.groups()
        rows.append((f"{db}, {n} sessions: conflict check median / p95", f"{med} / {p95} ms"))
        split = re.search(
            rf"\[{db}\] {n} sessions:.*?free slot median ([\d.]+) ms, clash incl\. message "
            r"([\d.]+) ms",
            out,
        )
        if split:
            rows.append(
                (
                    f"{db}, {n} sessions: free slot / clash incl. message, median",
                    f"{split.group(1)} / {split.group(2)} ms",
                )
            )
        rows.append((f"{db}, {n} sessions: add_session median / p95", f"{add_med} / {add_p95} ms"))
    if not rows:
        raise ValueError("no figures found in its output")
    return rows


# (title, script, arguments, time limit in s, database, extractor). `database` says how the script
# gets its PostgreSQL database: ("clone", VAR) = a fresh copy of our migrated template in VAR (the
# script migrates it, a no-op, and fills it; we drop it), ("server", VAR) = the server's URL in VAR
# (the script makes and drops its own), None = the script makes its own.
EXTERNAL = [
    (
        "booking race (HTTP, gunicorn)",
        "booking_race.py",
        [],
        240,
        ("clone", "DATABASE_URL"),
        _booking,
    ),
    (
        "ours vs pretix (interleaved)",
        "peer_pretix.py",
        ["--quick"] if QUICK else [],
        300,
        ("clone", "DATABASE_URL"),
        _peer,
    ),
    (
        "certificates (bulk job)",
        "certificates.py",
        [],  # its default: 500 certificates
        180,
        ("server", "DATABASE_URL"),
        _certificates,
    ),
    (
        "API sync",
        "api_sync.py",
        [],  # its default: 100,000 enrolments
        240,
        ("clone", "BENCH_DATABASE_URL"),
        _api_sync,
    ),
    ("session conflict check", "conflict_check.py", ["--db", "postgres"], 120, None, _conflicts),
]


def _stop_group(process: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=15)
            return
        except subprocess.TimeoutExpired:
            continue


def _drop_databases_of(pid: int) -> None:
    """A script stopped by force cannot drop its throw-away database (named lw_..._<pid>)."""
    import psycopg

    with contextlib.suppress(Exception), psycopg.connect(PG_SERVER, autocommit=True) as conn:
        names = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'lw\\_%%\\_' || %s", [str(pid)]
        ).fetchall()
        for (name,) in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_external(title, script, args, limit, extra_env, extract) -> tuple[list, float]:
    path = BENCH / script
    if not path.exists():
        return [(title, "–", "not available (script missing)")], 0.0
    started = time.monotonic()
    drop = {"TESTING", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CELERY_BROKER_URL"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(extra_env)
    # Its own process group, so that on a timeout the servers it started stop with it.
    process = subprocess.Popen(
        [sys.executable, str(path), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _stop_group(process)
        _drop_databases_of(process.pid)
        return [(title, "–", f"not available (stopped after {limit:.0f} s)")], limit
    result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-1:] or [""]
        note = f"failed (exit {result.returncode}): {tail[0][:120]}"
        try:  # a bench that reports a failed check still has figures worth showing
            return [(title, k, v) for k, v in extract(result.stdout)] + [
                (title, "–", note)
            ], elapsed
        except Exception:
            return [(title, "–", note)], elapsed
    try:
        return [(title, k, v) for k, v in extract(result.stdout)], elapsed
    except Exception as exc:
        last = result.stdout.strip().splitlines()[-1:] or [""]
        return [(title, "output", f"{last[0][:160]} ({type(exc).__name__})")], elapsed


# --- ours ---------------------------------------------------------------------------------------


def run_ours(log, template: str, before_measuring) -> tuple[list, dict]:
    rows, timings = [], {}
    started = time.monotonic()
    with dataset.prepared((0.1, 1.0), log=log, template=template) as databases:
        timings["data sets"] = time.monotonic() - started
        before_measuring()
        catalogue.DURATION = float(os.environ.get("BENCH_DURATION", "5"))  # keeps the 15 minutes
        started = time.monotonic()
        try:
            for row in catalogue.run(databases[1.0]):
                label = f"{row['target']}" + (f", {row['items']} items" if row["items"] else "")
                rows.append(
                    (
                        "catalogue req/s (gunicorn, x1 data)",
                        f"{label}, {row['bytes']:,} B",
                        f"{row['rps']} req/s; bare view {row['bare_rps']} req/s; "
                        f"ratio {row['ratio']:.3f}",
                    )
                )
        except Exception as exc:
            rows.append(("catalogue req/s (gunicorn, x1 data)", "–", f"failed: {exc}"))
        timings["catalogue"] = time.monotonic() - started
        started = time.monotonic()
        try:
            for row in queries.run(databases):
                rows.append(
                    (
                        "queries per request (x0.1 / x1 data)",
                        row["target"],
                        f"{row['small']} / {row['full']}: {row['verdict']}",
                    )
                )
        except Exception as exc:
            rows.append(("queries per request (x0.1 / x1 data)", "–", f"failed: {exc}"))
        timings["queries"] = time.monotonic() - started
    return rows, timings


# --- the table ----------------------------------------------------------------------------------


def _postgres_version() -> str:
    try:
        import psycopg

        with psycopg.connect(dataset.database_url("postgres")) as conn:
            return conn.execute("SHOW server_version").fetchone()[0].split()[0]
    except Exception:
        return "?"


def main() -> int:
    started_at = dt.datetime.now(dt.UTC)
    started = time.monotonic()
    load_before = os.getloadavg()

    def log(message: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {message.strip()}", flush=True)

    log("data sets, catalogue throughput, queries per request")
    # pretix installed and migrated beside our migrate and data sets, done before any measurement.
    peer = subprocess.Popen(
        [sys.executable, str(BENCH / "peer_pretix.py"), "--prepare"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def peer_ready() -> None:
        out, _ = peer.communicate()
        log("pretix: " + (out.strip().splitlines()[-1:] or ["?"])[0][:200])

    with dataset.template_database(log) as template:
        timings = {"migrate": time.monotonic() - started}
        rows, ours = run_ours(log, template, peer_ready)
        timings.update(ours)
        for title, script, args, limit, database, extract in EXTERNAL:
            log(f"{script} {' '.join(args)}")
            left = BUDGET - (time.monotonic() - started)
            if left < 30:
                rows.append((title, "–", "not available (no time left in the 15-minute budget)"))
                continue
            limit = min(limit, left)
            with contextlib.ExitStack() as stack:
                extra_env = {}
                if database and database[0] == "clone":
                    name = stack.enter_context(dataset.clone(template, script.split(".")[0]))
                    extra_env[database[1]] = dataset.database_url(name)
                elif database:
                    extra_env[database[1]] = PG_SERVER
                external, elapsed = run_external(title, script, args, limit, extra_env, extract)
            rows += external
            timings[script] = elapsed
    total = time.monotonic() - started

    width = [
        max(len(str(r[i])) for r in rows + [("benchmark", "figure", "value")]) for i in range(3)
    ]

    def line(cells) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, width, strict=True)) + " |"

    table = [
        line(("benchmark", "figure", "value")),
        "|" + "|".join("-" * (w + 2) for w in width) + "|",
    ]
    table += [line(r) for r in rows]
    header = [
        "# Benchmark results",
        "",
        f"- date: {started_at:%Y-%m-%d %H:%M} UTC",
        f"- machine: {os.cpu_count()} cores (os.cpu_count()), load average before the run "
        f"{load_before[0]:.1f} (the machine is shared: wall-clock figures include neighbours)",
        f"- PostgreSQL {_postgres_version()}, Python {sys.version.split()[0]}, "
        f"gunicorn {catalogue.WORKERS} sync workers for the catalogue, load by "
        f"{catalogue.load_generator()}",
        "- data set x1: 2,000 courses, 10,000 runs, 60,000 sessions, 300,000 enrolments "
        "(bench/dataset.py); x0.1 a tenth of each",
        f"- `make bench` took {total:.0f} s in all ("
        + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
        + ")",
        "",
    ]
    text = "\n".join(header + table) + "\n"
    RESULTS.write_text(text)
    print()
    print(text)
    print(f"written to {RESULTS.relative_to(ROOT)}")
    if shutil.which("wrk") is None:
        print("(wrk not installed: `apt-get install wrk` for the preferred load generator)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
