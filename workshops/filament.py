"""Filament a printer reports (millimetres fed, or grams where its firmware weighs) in the unit a
stock is kept in. Pure functions: no database."""

import math
from decimal import Decimal

DIAMETER_MM = Decimal("1.75")  # the filament the workshops' printers take
# g/cm³ of common filaments; anything else counts as PLA.
DENSITY = {"PLA": "1.24", "PETG": "1.27", "ABS": "1.04", "ASA": "1.07", "TPU": "1.21"}
CROSS_SECTION_MM2 = Decimal(str(math.pi)) * (DIAMETER_MM / 2) ** 2


def grams_from_mm(mm: Decimal, material: str) -> Decimal:
    density = Decimal(DENSITY.get(material.strip().upper(), DENSITY["PLA"]))
    return mm * CROSS_SECTION_MM2 / 1000 * density  # mm³ → cm³ → g


def in_unit(unit: str, *, mm: Decimal | None, grams: Decimal | None, material: str):
    """The quantity in `unit` (Consumable.Unit: "g" or "m"), two decimals; None when the stock's
    unit is not one a length or weight of filament converts to."""
    if unit == "g":
        value = grams if grams is not None else (grams_from_mm(mm, material) if mm else None)
    elif unit == "m":
        value = mm / 1000 if mm is not None else None
    else:
        return None
    return None if value is None else value.quantize(Decimal("0.01"))
