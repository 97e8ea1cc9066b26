"""Ours beside pretix, side by side in one run: the same PostgreSQL, the same load client, both
under gunicorn with the same number of sync workers, interleaved (ours, pretix, ours, pretix):

(a) contended: 200 clients book one 20-seat run at once. Ours over HTTP as a browser does (session
    cookie, CSRF token, POST /runs/<id>/book/): exactly 20 confirmed + 180 waitlisted, the waiting
    list gapless, 0 errors. pretix: a free order through its REST API: 20 orders, 180 refused.
(b) uncontended: 200 bookings over 200 runs (pretix: events), 16 at a time.
(c) run list: our /api/v1/runs/?page_size=100 against pretix's event list (50 per page), items/s.

    .venv/bin/python bench/peer_pretix.py [--rounds 2] [--quick]

pretix comes from PyPI into its own virtual environment outside the repository
(bench/peer_setup.py); when that cannot be had, ours runs alone and the reason is printed. Uses
DATABASE_URL when it points at a migrated PostgreSQL database of ours (bench/run_all.py passes a
clone), otherwise creates and migrates a throw-away one. Exit status 1 when a check fails."""

import argparse
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import cpu_time  # noqa: E402
import dataset  # noqa: E402
import peer_load  # noqa: E402
import peer_setup  # noqa: E402

PORTS = [int(p) for p in os.environ.get("PEER_PORTS", "8170,8171,8172,8173").split(",")]
WORKERS = 2


def free_port(exclude=()) -> int:
    for port in PORTS:
        if port in exclude:
            continue
        with socket.socket() as sock:
            # gunicorn binds with SO_REUSEADDR too: connections of an earlier run in TIME_WAIT
            # do not make the port busy.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port among {PORTS} (set PEER_PORTS)")


def wait_ready(server, url: str, headers: dict) -> None:
    import requests

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server for {url} exited")
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, headers=headers, timeout=5).status_code == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within 180 s")


def stop(server) -> None:
    if server is None or server.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def start_ours(database_url: str, port: int, log, broker: str) -> subprocess.Popen:
    env = dataset.django_env(
        "postgres",
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        SECURE_COOKIES="0",  # plain HTTP on the loopback
        API_THROTTLE_RATE="100000000/min",  # measure the view, not the throttle
        # Mails are stored in the outbox and queued for a worker (none runs): booking, not SMTP.
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        CELERY_BROKER_URL=broker,
    )
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={WORKERS}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@contextlib.contextmanager
def our_database():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        yield url
        return
    name = f"lw_bench_peer_{os.getpid()}"
    dataset.create_database(name)
    try:
        dataset.migrate(name)
        yield dataset.database_url(name)
    finally:
        with contextlib.suppress(Exception):
            dataset.drop_database(name)


def setup_pretix(log, rounds: int, n: int, port: int):
    """pretix installed, migrated, seeded and serving, or the reason it is skipped."""
    try:
        version = peer_setup.install_pretix(log)
    except (peer_setup.Skip, OSError, subprocess.SubprocessError) as exc:
        return None, None, f"pretix skipped: {exc}"
    admin = dataset.database_url("postgres")
    peer_setup.ensure_pretix_database(admin)
    home, env = peer_setup.pretix_config(admin, port)
    log(f"pretix {version}: migrate (a no-op once its database is up to date)")
    peer_setup.migrate_pretix(env)
    seeded = peer_setup.seed_pretix(env, f"bench{secrets.token_hex(3)}", rounds + 1 + n, 20)
    server = peer_setup.pretix_server(env, port, WORKERS, open(home / "gunicorn.log", "w"))  # noqa: SIM115
    side = peer_load.Pretix(f"http://127.0.0.1:{port}", seeded)
    url, headers = side.list_url()
    wait_ready(server, url, headers)
    return side, server, f"pretix {version}"


def prepare() -> int:
    try:
        version = peer_setup.install_pretix()
    except (peer_setup.Skip, OSError, subprocess.SubprocessError) as exc:
        print(f"pretix skipped: {exc}")
        return 0
    admin = dataset.database_url("postgres")
    peer_setup.ensure_pretix_database(admin)
    _home, env = peer_setup.pretix_config(admin, PORTS[0])
    peer_setup.migrate_pretix(env)
    print(f"pretix {version} ready")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="interleaved pairs per figure")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16, help="for the uncontended load")
    parser.add_argument("--list-seconds", type=float, default=5.0)
    parser.add_argument("--quick", action="store_true", help="one round, 2 s per list figure")
    parser.add_argument("--no-pretix", action="store_true")
    parser.add_argument(
        "--prepare",
        action="store_true",
        help="only install and migrate pretix (run_all does this beside building our data sets)",
    )
    args = parser.parse_args()
    if args.prepare:
        return prepare()
    if args.quick:
        args.rounds, args.list_seconds = 1, 2.0
    started = time.monotonic()

    def log(message: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {message}", flush=True)

    os.chdir(ROOT)
    servers = []
    try:
        with our_database() as database_url, dataset.mail_queue() as broker:
            os.environ.update(dataset.django_env("postgres", DATABASE_URL=database_url))
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
            dataset.collectstatic()
            seeded = peer_setup.seed_ours(
                secrets.token_hex(4), args.clients, args.rounds + 1, args.rounds * args.clients, 20
            )
            log(f"ours seeded: {args.rounds} contended + {args.rounds * args.clients} runs")
            port = free_port()
            logfile = Path(tempfile.gettempdir()) / f"lw-bench-peer-{os.getpid()}.log"
            servers.append(start_ours(database_url, port, open(logfile, "w"), broker))  # noqa: SIM115
            ours = peer_load.Ours(f"http://127.0.0.1:{port}", seeded)
            ours.pid = servers[0].pid
            url, headers = ours.list_url()
            wait_ready(servers[0], url, headers)
            ours.prepare()
            sides, peer_note = [ours], "pretix skipped: --no-pretix"
            if not args.no_pretix:
                pretix, server, peer_note = setup_pretix(
                    log, args.rounds, args.clients, free_port(exclude=(port,))
                )
                if server is not None:
                    servers.append(server)
                    pretix.pid = server.pid
                    sides.append(pretix)
            log(peer_note)
            log(f"our e-mails: {'queued to ' + broker if broker else 'sent in the request'}")
            for side in sides:  # every worker has imported and compiled what a booking needs
                side.warm_up(args.rounds)
            return report(sides, args, peer_note, log)
    finally:
        for server in servers:
            stop(server)


def report(sides, args, peer_note: str, log) -> int:
    figures = {}  # (load, side) -> list of results
    loads = [
        ("contended", lambda s, r: s.contended(r, args.clients)),
        ("uncontended", lambda s, r: s.uncontended(r, args.clients, args.concurrency)),
        ("list", lambda s, r: peer_load.list_rate(s, args.list_seconds)),
    ]
    load_avg = []
    for round_ in range(args.rounds):
        for name, measure in loads:
            for side in sides:  # interleaved: ours, pretix, ours, pretix
                load_avg.append(os.getloadavg()[0])
                before = cpu_time.snapshot([side.pid])
                result = measure(side, round_)
                count = result.get("count", args.clients)
                cpu = cpu_time.per_item(before, cpu_time.snapshot([side.pid]), count)
                figures.setdefault((name, side.name), []).append(result)
                log(
                    f"round {round_ + 1} {name:11} {side.name:6} {result['rate']:8.1f}/s  "
                    f"{result['latency']}  {result['outcome']}; per booking or page: {cpu}"
                )
    titles = {
        "contended": f"(a) {args.clients} clients book one 20-seat run, bookings/s",
        "uncontended": f"(b) {args.clients} bookings over {args.clients} runs at concurrency "
        f"{args.concurrency}, bookings/s",
        "list": "(c) run list API (ours 100/page) vs event list (pretix 50/page), items/s",
    }
    print()
    print(
        f"{peer_note}; gunicorn {WORKERS} sync workers each; {args.rounds} interleaved rounds; "
        f"load average during the run {min(load_avg):.1f}-{max(load_avg):.1f} "
        f"(os.cpu_count() {os.cpu_count()})"
    )
    good = True
    for name, _ in loads:
        ours = figures[(name, "ours")]
        good &= all(r["good"] for r in ours)
        line = f"{titles[name]}: ours " + " / ".join(f"{r['rate']:.1f}" for r in ours)
        if (name, "pretix") in figures:
            theirs = figures[(name, "pretix")]
            ratios = [a["rate"] / b["rate"] for a, b in zip(ours, theirs, strict=True)]
            line += (
                ", pretix "
                + " / ".join(f"{r['rate']:.1f}" for r in theirs)
                + ", ratio per pair "
                + " / ".join(f"{r:.2f}x" for r in ratios)
            )
            print(
                f"PAIR {name}: ours {min(r['rate'] for r in ours):.1f}-"
                f"{max(r['rate'] for r in ours):.1f}/s, pretix "
                f"{min(r['rate'] for r in theirs):.1f}-{max(r['rate'] for r in theirs):.1f}/s, "
                f"ratio {min(ratios):.2f}-{max(ratios):.2f}x"
            )
        print(line)
        print(f"   ours: {ours[-1]['outcome'] or ours[-1]['latency']}")
    print("RESULT:", "OK" if good else "FAILED")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
