"""Tombstones: what a syncing chamber system must delete too."""

from ..models import Tombstone


def record_tombstone(*, resource: str, object_id, chamber_id: int | None) -> Tombstone:
    """Called inside the transaction of the deletion (see api.signals)."""
    return Tombstone.objects.create(
        resource=resource, object_id=str(object_id), chamber_id=chamber_id
    )
