"""Sensors and resources of the workshops: telemetry, consumables, loans and safety briefings.

Kept apart from workshops/models.py, which re-exports them; they refer to the inventory by
string ("workshops.Equipment") so that no import runs back up."""

from .briefings import SafetyBriefing
from .consumables import Consumable, ConsumableStock, LoadedConsumable, StockMovement
from .loans import Loan
from .telemetry import EquipmentTelemetry, TelemetryReading, TelemetryRejection

__all__ = [
    "Consumable",
    "ConsumableStock",
    "EquipmentTelemetry",
    "LoadedConsumable",
    "Loan",
    "SafetyBriefing",
    "StockMovement",
    "TelemetryReading",
    "TelemetryRejection",
]
