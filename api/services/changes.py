"""Partial updates with named fields: a field the client did not send is UNCHANGED, which is not
the same as None (a date may be cleared with null)."""

import enum


class Unchanged(enum.Enum):
    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


def apply_changes(obj, **values) -> list[str]:
    """Set the given values that differ on `obj`; returns the names of the fields changed."""
    changed = []
    for field, value in values.items():
        if value is not UNCHANGED and getattr(obj, field) != value:
            setattr(obj, field, value)
            changed.append(field)
    return changed


def given(**values) -> dict:
    """The values the client sent, for a create."""
    return {field: value for field, value in values.items() if value is not UNCHANGED}
