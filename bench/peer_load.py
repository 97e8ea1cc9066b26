"""The load of bench/peer_pretix.py: the same client against both sides (a barrier starts the
threads together), what counts as a good outcome on each side."""

import json
import re
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import booking_race  # noqa: E402
import lean_http  # noqa: E402
import peer_setup  # noqa: E402

SEATS = 20


def fire(jobs, concurrency: int) -> tuple[float, list[tuple[float, str]]]:
    """Run every job (a callable returning an outcome) with `concurrency` threads, started
    together by a gate. Returns the wall time and (latency, outcome) per job."""
    gate = threading.Event()

    def timed(job):
        gate.wait(timeout=60)
        started = time.perf_counter()
        try:
            outcome = job()
        except lean_http.ERRORS as exc:
            outcome = type(exc).__name__
        return time.perf_counter() - started, outcome

    with ThreadPoolExecutor(concurrency) as pool:
        futures = [pool.submit(timed, job) for job in jobs]
        time.sleep(0.5)  # the threads are waiting at the gate
        started = time.perf_counter()
        gate.set()
        results = [f.result() for f in futures]
    return time.perf_counter() - started, results


def latency(results) -> str:
    times = sorted(t for t, _ in results)
    return (
        f"median {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.0f} ms"
    )


# --- ours ----------------------------------------------------------------------------------------


class Ours:
    name = "ours"

    def __init__(self, base: str, seeded: dict):
        self.base, self.seeded = base, seeded
        self.clients = []

    def prepare(self) -> None:
        """Every trainee opens a run page like a browser (CSRF cookie and form token)."""
        run = self.seeded["contended"][0]

        def one(key):
            client = requests.Session()
            client.cookies.set("sessionid", key, domain="127.0.0.1")
            page = client.get(f"{self.base}/runs/{run}/", timeout=60)
            page.raise_for_status()
            found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            if found is None:
                raise RuntimeError("no booking form on our run page (not logged in?)")
            return client, found.group(1)

        with ThreadPoolExecutor(8) as pool:
            self.clients = list(pool.map(one, self.seeded["sessions"]))

    def warm_up(self, spare: int) -> None:
        """Bookings on the spare run (not measured), a few per worker."""
        run = self.seeded["contended"][spare]
        jobs = [self._book(c, t, run) for c, t in self.clients[-8:]]
        fire(jobs, 4)

    def _book(self, client, token: str, run: int):
        def job():
            return booking_race.post_booking(client, self.base, run, token, timeout=120)

        return job

    def contended(self, round_: int, n: int) -> dict:
        run = self.seeded["contended"][round_]
        elapsed, results = fire([self._book(c, t, run) for c, t in self.clients[:n]], n)
        counts = peer_setup.our_counts(run)
        errors = [o for _, o in results if o != "ok"]
        good = (
            not errors
            and counts["gapless"]
            and counts["confirmed"] == SEATS
            and counts["waitlisted"] == n - SEATS
            and counts["other"] == 0
        )
        return {
            "rate": n / elapsed,
            "latency": latency(results),
            "outcome": f"{counts['confirmed']} confirmed, {counts['waitlisted']} waitlisted, "
            f"gapless {counts['gapless']}, errors {len(errors)}"
            + (f" {sorted(set(errors))[:2]}" if errors else ""),
            "good": good,
        }

    def uncontended(self, round_: int, n: int, concurrency: int) -> dict:
        runs = self.seeded["uncontended"][round_ * n : (round_ + 1) * n]
        jobs = [self._book(c, t, run) for (c, t), run in zip(self.clients, runs, strict=False)]
        elapsed, results = fire(jobs, concurrency)
        errors = [o for _, o in results if o != "ok"]
        written = peer_setup.uncontended_written(runs)
        return {
            "rate": len(jobs) / elapsed,
            "latency": latency(results),
            "outcome": f"{written} confirmed, errors {len(errors)}"
            + (f" {sorted(set(errors))[:2]}" if errors else ""),
            "good": not errors and written == len(jobs),
        }

    def list_url(self) -> tuple[str, dict]:
        return (
            f"{self.base}/api/v1/runs/?page_size=100",
            {"Authorization": f"Bearer {self.seeded['api_key']}"},
        )


# --- pretix --------------------------------------------------------------------------------------


class Pretix:
    name = "pretix"

    def __init__(self, base: str, seeded: dict):
        self.base, self.seeded = base, seeded
        self.headers = {"Authorization": f"Token {seeded['token']}"}
        self.api = f"{base}/api/v1/organizers/{seeded['organizer']}"

    def prepare(self) -> None:
        pass

    def warm_up(self, spare: int) -> None:
        """Orders on the spare event (not measured), a few per worker."""
        event = self.seeded["events"][spare]
        fire([self._order(event, f"w{i}@bench.example") for i in range(8)], 4)

    def _order(self, event: dict, email: str):
        body = json.dumps(
            {
                "email": email,
                "locale": "en",
                "sales_channel": "web",
                "payment_provider": "free",
                "positions": [{"item": event["item"]}],
            }
        ).encode()
        headers = {**self.headers, "Content-Type": "application/json"}

        def job():
            status, _headers, text = lean_http.post(
                f"{self.api}/events/{event['slug']}/orders/", body, headers, timeout=120
            )
            if status == 201:
                return "ok"
            if status == 400 and b"quota" in text.lower():
                return "refused"
            return f"HTTP {status}: {text[:80].decode(errors='replace')}"

        return job

    def contended(self, round_: int, n: int) -> dict:
        event = self.seeded["events"][round_]
        jobs = [self._order(event, f"c{round_}-{i}@bench.example") for i in range(n)]
        elapsed, results = fire(jobs, n)
        ok = sum(o == "ok" for _, o in results)
        refused = sum(o == "refused" for _, o in results)
        errors = [o for _, o in results if o not in ("ok", "refused")]
        return {
            "rate": n / elapsed,
            "latency": latency(results),
            "outcome": f"{ok} orders, {refused} refused, errors {len(errors)}"
            + (f" {sorted(set(errors))[:2]}" if errors else ""),
            "good": ok == SEATS and refused == n - SEATS,
        }

    def uncontended(self, round_: int, n: int, concurrency: int) -> dict:
        events = self.seeded["events"][-n:]
        jobs = [self._order(e, f"u{round_}-{i}@bench.example") for i, e in enumerate(events)]
        elapsed, results = fire(jobs, concurrency)
        errors = [o for _, o in results if o != "ok"]
        return {
            "rate": len(jobs) / elapsed,
            "latency": latency(results),
            "outcome": f"{len(jobs) - len(errors)} orders, errors {len(errors)}"
            + (f" {sorted(set(errors))[:2]}" if errors else ""),
            "good": not errors,
        }

    def list_url(self) -> tuple[str, dict]:
        return f"{self.api}/events/", self.headers


def list_rate(side, duration: float, connections: int = 4) -> dict:
    url, headers = side.list_url()
    stop_at = time.monotonic() + duration
    totals = []

    def worker():
        client = requests.Session()
        items = pages = 0
        size = 0
        while time.monotonic() < stop_at:
            response = client.get(url, headers=headers, timeout=60)
            response.raise_for_status()
            items += len(response.json()["results"])
            pages += 1
            size = len(response.content)
        totals.append((items, pages, size))

    requests.get(url, headers=headers, timeout=60).raise_for_status()  # warm-up
    started = time.monotonic()
    with ThreadPoolExecutor(connections) as pool:
        for future in [pool.submit(worker) for _ in range(connections)]:
            future.result()
    elapsed = time.monotonic() - started
    items = sum(t[0] for t in totals)
    pages = sum(t[1] for t in totals)
    return {
        "rate": items / elapsed,
        "latency": f"{pages / elapsed:.1f} pages/s of {items // max(pages, 1)} items, "
        f"{totals[0][2]:,} B",
        "outcome": "",
        "good": True,
        "count": pages,  # what the CPU split is per
    }
