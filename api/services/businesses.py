"""Member businesses of a chamber, upserted by their natural key (the member number)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import audit
from people.models import Business, Chamber

from ..errors import Conflict
from .changes import UNCHANGED, Unchanged, apply_changes, given


def upsert_business(
    *,
    chamber: Chamber,
    member_number: str,
    name: str,
    street: str | Unchanged = UNCHANGED,
    postal_code: str | Unchanged = UNCHANGED,
    city: str | Unchanged = UNCHANGED,
    email: str | Unchanged = UNCHANGED,
    is_active: bool | Unchanged = UNCHANGED,
    actor=None,
) -> tuple[Business, bool, bool]:
    """Create or update the chamber's member business by its member number; fields not given
    stay as they are. Returns (business, created, changed); the same data twice changes nothing."""
    member_number = member_number.strip()
    values = {
        "name": name,
        "street": street,
        "postal_code": postal_code,
        "city": city,
        "email": email,
        "is_active": is_active,
    }
    with transaction.atomic():
        business = (
            Business.objects.select_for_update()
            .filter(chamber=chamber, member_number=member_number)
            .first()
        )
        if business is None:
            try:
                with transaction.atomic():
                    business = Business.objects.create(
                        chamber=chamber, member_number=member_number, **given(**values)
                    )
            except IntegrityError as exc:  # created concurrently by a parallel request
                raise Conflict(
                    _("Der Betrieb wird gerade gleichzeitig angelegt."), field="member_number"
                ) from exc
            audit(
                actor=actor,
                action="api.business_created",
                obj=business,
                member_number=member_number,
            )
            return business, True, True
        changed = apply_changes(business, **values)
        if changed:
            business.save(update_fields=[*changed, "updated_at"])
            audit(actor=actor, action="api.business_updated", obj=business, fields=changed)
        return business, False, bool(changed)


def delete_business(*, business: Business, actor=None) -> Business:
    """A chamber's DELETE of a member business deactivates it: its enrolments, certificates,
    trainees and course history stay whole (a deletion would orphan them), and the business
    stays listed with `is_active: false`, a status change a syncing client sees like any other.
    Deleting it again changes nothing."""
    with transaction.atomic():
        locked = Business.objects.select_for_update().get(pk=business.pk)
        if locked.is_active:
            locked.is_active = False
            locked.save(update_fields=["is_active", "updated_at"])
            audit(
                actor=actor,
                action="api.business_deactivated",
                obj=locked,
                member_number=locked.member_number,
            )
        return locked
