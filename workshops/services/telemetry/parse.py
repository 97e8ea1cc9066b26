"""One MQTT message to one reading, or BadMessage naming what is wrong. Pure: no database.

Our layout (README, "Telemetry"): `<prefix>/<inventory number>/state|counters|energy`, JSON with a
timestamp (`ts`: ISO 8601 or Unix seconds). OctoPrint's MQTT plugin, with its base topic set to
`<octoprint prefix>/<inventory number>/`, publishes `event/<Event>`, `progress/printing` and
`temperature/<tool>` with `_timestamp` (Unix seconds)."""

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import unquote

MAX_PAYLOAD = 4096
MAX_SKEW = dt.timedelta(minutes=5)  # a device clock a little ahead is fine; far ahead is not
MAX_AGE = dt.timedelta(days=30)
MAX_VALUE = 10_000_000
STATES = ("idle", "busy", "error", "off")
# filament_mm / filament_g: filament fed by the extruder since it was new (only grows).
COUNTERS = (
    "operating_hours",
    "print_hours",
    "tube_hours",
    "spindle_hours",
    "filament_mm",
    "filament_g",
)

# OctoPrint events that say what the printer is doing; the others are ignored.
OCTOPRINT_STATES = {
    "PrintStarted": "busy",
    "PrintResumed": "busy",
    "PrintDone": "idle",
    "PrintFailed": "idle",
    "PrintCancelled": "idle",
    "PrintPaused": "idle",
    "Connected": "idle",
    "Error": "error",
    "Disconnected": "off",
    "Shutdown": "off",
}
OCTOPRINT_JOB_END = {"PrintDone", "PrintFailed", "PrintCancelled"}


class BadMessage(ValueError):
    """A message that cannot be stored; `reason` is the short key it is counted under."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = (detail or reason)[:200]


@dataclass(slots=True)
class Parsed:
    inventory_number: str
    kind: str
    recorded_at: dt.datetime
    source: str = "device"
    state: str = ""
    operating_hours: Decimal | None = None
    hours_delta: Decimal | None = None
    energy_kwh: Decimal | None = None
    data: dict = field(default_factory=dict)


def parse_message(
    topic: str, payload: bytes, *, prefix: str, octoprint_prefix: str, now: dt.datetime
) -> Parsed | None:
    """The reading in a message; None for a message we do not use (other OctoPrint events)."""
    if len(payload) > MAX_PAYLOAD:
        raise BadMessage("too_large", f"payload of {len(payload)} bytes")
    levels = topic.split("/")
    if len(levels) == 3 and levels[0] == prefix:
        inventory_number = _inventory_number(levels[1])
        return _ours(inventory_number, levels[2], _json(payload), now=now)
    if len(levels) >= 3 and levels[0] == octoprint_prefix:
        inventory_number = _inventory_number(levels[1])
        return _octoprint(inventory_number, levels[2:], payload, now=now)
    raise BadMessage("topic", f"unexpected topic {topic[:150]}")


def _inventory_number(level: str) -> str:
    value = unquote(level).strip()
    if not value or len(value) > 50:
        raise BadMessage("topic", "missing or too long inventory number")
    return value


def _json(payload: bytes) -> dict:
    try:
        body = json.loads(payload)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadMessage("json", f"not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise BadMessage("json", "JSON object expected")
    return body


def _timestamp(body: dict, now: dt.datetime) -> dt.datetime:
    raw = body.get("ts", body.get("timestamp", body.get("_timestamp")))
    if raw is None:
        raise BadMessage("timestamp", "no timestamp (ts)")
    try:
        if isinstance(raw, bool):
            raise TypeError
        if isinstance(raw, int | float):
            seconds = raw / 1000 if raw > 1e11 else raw  # milliseconds from some gateways
            when = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        else:
            when = dt.datetime.fromisoformat(str(raw))
            if when.tzinfo is None:
                raise BadMessage("timestamp", "timestamp without time zone")
    except (TypeError, ValueError, OverflowError, OSError):
        raise BadMessage("timestamp", f"unreadable timestamp {str(raw)[:40]}") from None
    if when > now + MAX_SKEW or when < now - MAX_AGE:
        raise BadMessage("timestamp", f"timestamp out of range {when.isoformat()}")
    return when


def _number(body: dict, key: str, *, required: bool = False) -> Decimal | None:
    raw = body.get(key)
    if raw is None:
        if required:
            raise BadMessage("value", f"{key} missing")
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise BadMessage("value", f"{key} is not a number")
    if not math.isfinite(raw) or raw < 0 or raw > MAX_VALUE:
        raise BadMessage("value", f"{key} out of range")
    return Decimal(str(raw))


def _ours(inventory_number: str, kind: str, body: dict, *, now) -> Parsed:
    when = _timestamp(body, now)
    if kind == "state":
        state = body.get("state")
        if state not in STATES:
            raise BadMessage("value", f"state must be one of {', '.join(STATES)}")
        data = {k: str(body[k])[:200] for k in ("code", "message") if body.get(k) is not None}
        return Parsed(inventory_number, "state", when, state=state, data=data)
    if kind == "counters":
        values = {key: _number(body, key) for key in COUNTERS}
        if all(v is None for v in values.values()):
            raise BadMessage("value", "no counter in the message")
        extra = {k: float(v) for k, v in values.items() if v is not None and k != "operating_hours"}
        return Parsed(
            inventory_number,
            "counters",
            when,
            operating_hours=values["operating_hours"],
            data=extra,
        )
    if kind == "energy":
        energy = _number(body, "energy_kwh", required=True)
        power = _number(body, "power_w")
        data = {"power_w": float(power)} if power is not None else {}
        return Parsed(inventory_number, "energy", when, energy_kwh=energy, data=data)
    raise BadMessage("topic", f"unknown reading kind {kind[:40]}")


def _octoprint(inventory_number: str, rest: list[str], payload: bytes, *, now) -> Parsed | None:
    what = rest[0]
    if what == "mqtt" and len(rest) == 1:
        # The plugin's last will: "connected" / "disconnected", plain text without a timestamp.
        if payload.strip() == b"disconnected":
            return Parsed(inventory_number, "state", now, source="octoprint", state="off")
        return None
    if len(rest) != 2:
        raise BadMessage("topic", "unexpected OctoPrint topic")
    body = _json(payload)
    when = _timestamp(body, now)
    if what == "event":
        event = rest[1]
        state = OCTOPRINT_STATES.get(event)
        if state is None:
            return None
        delta = None
        if event in OCTOPRINT_JOB_END and body.get("time") is not None:
            seconds = _number(body, "time")
            delta = (seconds / Decimal(3600)).quantize(Decimal("0.001"))
        data = {"event": event}
        if body.get("error"):
            data["message"] = str(body["error"])[:200]
        return Parsed(
            inventory_number,
            "state",
            when,
            source="octoprint",
            state=state,
            hours_delta=delta,
            data=data,
        )
    if what == "progress":
        progress = _number(body, "progress", required=True)
        if progress > 100:
            raise BadMessage("value", "progress out of range")
        data = {"job": rest[1], "progress": float(progress)}
        if body.get("path"):
            data["file"] = str(body["path"])[:200]
        return Parsed(inventory_number, "progress", when, source="octoprint", data=data)
    if what == "temperature":
        actual, target = body.get("actual"), body.get("target")
        if actual is None:
            return None  # sensors the printer does not have report null
        data = {"sensor": rest[1][:20], "actual": float(_number(body, "actual"))}
        if target is not None:
            data["target"] = float(_number(body, "target"))
        return Parsed(inventory_number, "temperature", when, source="octoprint", data=data)
    return None
