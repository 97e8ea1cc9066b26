"""Requests per second under gunicorn on the full data set: the catalogue API
(/api/v1/runs/?page_size=100) and the catalogue page (/), each beside a bare Django view that
returns the same number of bytes through the same middleware (BENCH_BARE_VIEW=1), and the ratio.

The bare view is the ceiling of any view on this stack (gunicorn, WSGI, middleware, sessions), so
the ratio says how much of that ceiling the real view keeps while querying 10,000 runs.

Load: wrk (Debian package) when installed, else a thread pool of keep-alive HTTP clients.

    python bench/catalogue.py       # builds the data set itself
"""

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import dataset  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8160"))
DURATION = float(os.environ.get("BENCH_DURATION", "8"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2"))


def _env(database: str) -> dict:
    return dataset.django_env(
        database,
        BENCH_BARE_VIEW="1",
        API_THROTTLE_RATE="100000000/min",  # measure the view, not the throttle
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )


def api_key(database: str) -> str:
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "create_api_key",
            "--chamber",
            "hwk-bench",
            "--scopes",
            "courses:read",
            "--name",
            "bench",
        ],
        cwd=ROOT,
        env=_env(database),
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


def start_gunicorn(database: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=_env(database),
        start_new_session=True,  # its own process group: stopped as a whole
    )


def wait_ready(process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("gunicorn exited") from None
            time.sleep(0.3)
    stop(process)
    raise RuntimeError("gunicorn did not answer /healthz within 90 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fetch(path: str, headers: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return response.status, response.read()


def _wrk(path: str, headers: dict, duration: float) -> float:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{int(duration)}s", "--timeout", "30s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{PORT}{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if failed:
        raise RuntimeError(f"{path}: {failed.group(1)} responses were not 2xx")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _python_load(path: str, headers: dict, duration: float) -> float:
    stop_at = time.monotonic() + duration
    counts = []
    lock = threading.Lock()

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        done = 0
        while time.monotonic() < stop_at:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
            done += 1
        with lock:
            counts.append(done)

    started = time.monotonic()
    with ThreadPoolExecutor(CONNECTIONS) as pool:
        for future in [pool.submit(worker) for _ in range(CONNECTIONS)]:
            future.result()
    return sum(counts) / (time.monotonic() - started)


def load(path: str, headers: dict, duration: float | None = None) -> float:
    runner = _wrk if shutil.which("wrk") else _python_load
    runner(path, headers, 1)  # warm-up: connections, caches, lazy imports in every worker
    return runner(path, headers, duration or DURATION)


def run(database: str) -> list[dict]:
    process = start_gunicorn(database)
    try:
        key = api_key(database)  # while gunicorn boots
        wait_ready(process)
        rows = []
        targets = [
            ("API /api/v1/runs/?page_size=100", "/api/v1/runs/?page_size=100", "json"),
            ("page / (catalogue)", "/", "html"),
        ]
        for label, path, kind in targets:
            headers = {"Authorization": f"Bearer {key}"} if kind == "json" else {}
            status, body = fetch(path, headers)
            if status != 200:
                raise RuntimeError(f"{path}: HTTP {status}")
            items = None
            if kind == "json":
                data = json.loads(body)
                items = len(data.get("results", data) if isinstance(data, dict) else data)
            bare = f"/__bench__/bare/{len(body)}/?type={kind}"
            view_rps = load(path, headers)
            bare_rps = load(bare, headers)
            rows.append(
                {
                    "target": label,
                    "bytes": len(body),
                    "items": items,
                    "rps": round(view_rps, 1),
                    "bare_rps": round(bare_rps, 1),
                    "ratio": round(view_rps / bare_rps, 3) if bare_rps else None,
                }
            )
        return rows
    finally:
        stop(process)


def load_generator() -> str:
    return (
        f"wrk, 1 thread, {CONNECTIONS} connections"
        if shutil.which("wrk")
        else f"Python thread pool, {CONNECTIONS} connections"
    )


def main() -> int:
    if "--database" in sys.argv:  # reuse a kept full-size data set
        rows = run(sys.argv[sys.argv.index("--database") + 1])
    else:
        with dataset.prepared((1.0,)) as databases:
            rows = run(databases[1.0])
    print(f"gunicorn {WORKERS} sync workers, {load_generator()}, {DURATION:.0f} s per figure")
    for row in rows:
        print(
            f"{row['target']:36} {row['bytes']:>8} B  {row['rps']:>8} req/s  "
            f"bare {row['bare_rps']:>8} req/s  ratio {row['ratio']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
