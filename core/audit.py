from .models import AuditEntry


def audit(*, actor, action: str, obj, **data) -> AuditEntry:
    """One audit row, written by the service in the same transaction as its change."""
    actor_id = getattr(actor, "pk", None) if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor_id=actor_id,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data,
    )
