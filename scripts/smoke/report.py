"""What the smoke journey prints: each check with ✓ or ✗ and its time, kept for the summary."""

import contextlib
import time


class SmokeFailure(Exception):
    pass


results: list[tuple[str, bool, float, str]] = []


@contextlib.contextmanager
def check(name: str):
    started = time.monotonic()
    try:
        yield
    except Exception as exc:
        elapsed = time.monotonic() - started
        detail = f"{type(exc).__name__}: {exc}" if not isinstance(exc, SmokeFailure) else str(exc)
        results.append((name, False, elapsed, detail))
        print(f"✗ {name} ({elapsed:.2f} s): {detail}", flush=True)
        raise SmokeFailure(name) from exc
    elapsed = time.monotonic() - started
    results.append((name, True, elapsed, ""))
    print(f"✓ {name} ({elapsed:.2f} s)", flush=True)


def expect(condition, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


@contextlib.contextmanager
def check_quietly():
    try:
        yield
    except Exception as exc:  # cleanup must not hide the journey's result
        print(f"  (cleanup: {exc})")
