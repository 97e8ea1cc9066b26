"""Telemetry over MQTT: parsing a message (parse), storing a batch of them and what the readings
change (store), marking an item defective after a lasting error (defects), and the ingest loop
that the management command `telemetry_ingest` runs (ingest)."""

from .defects import escalate_errors
from .parse import BadMessage, Parsed, parse_message
from .store import BatchResult, IngestState, store_batch

__all__ = [
    "BadMessage",
    "BatchResult",
    "IngestState",
    "Parsed",
    "escalate_errors",
    "parse_message",
    "store_batch",
]
