from .models import AuditEntry


def audit(*, actor, action: str, obj, into=None, **data) -> AuditEntry:
    """One audit row, written by the service in the same transaction as its change; with `into`
    (a core.roundtrip.RoundTrip) it is written when that is run, with the statements around it."""
    actor_id = getattr(actor, "pk", None) if actor is not None and actor.is_authenticated else None
    entry = AuditEntry(
        actor_id=actor_id,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data,
    )
    if into is None:
        entry.save(force_insert=True)
    else:
        into.insert(entry)
    return entry
