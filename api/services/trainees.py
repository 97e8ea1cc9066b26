"""Apprentices of a chamber's member businesses, upserted by their natural key (the number in
the chamber's Lehrlingsrolle)."""

import datetime as dt
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import audit
from people.models import Business, Chamber, TraineeProfile

from ..errors import Conflict, NotFound
from .changes import UNCHANGED, Unchanged, apply_changes, given

User = get_user_model()


def _placeholder_email(number: str) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in number.lower()).strip("-") or "x"
    return f"azubi-{slug}-{secrets.token_hex(3)}@lehrlingsrolle.invalid"


def upsert_trainee(
    *,
    chamber: Chamber,
    lehrlingsrolle_number: str,
    business: Business,
    first_name: str,
    last_name: str,
    email: str | Unchanged = UNCHANGED,
    date_of_birth: dt.date | None | Unchanged = UNCHANGED,
    occupation: str | Unchanged = UNCHANGED,
    occupation_code: str | Unchanged = UNCHANGED,
    apprenticeship_start: dt.date | None | Unchanged = UNCHANGED,
    kind: str | Unchanged = UNCHANGED,
    actor=None,
) -> tuple[TraineeProfile, bool, bool]:
    """Create or update an apprentice by Lehrlingsrolle number, employed by a member business of
    the chamber; fields not given stay as they are, an empty e-mail address changes nothing.
    A new apprentice gets a login with an unusable password (they set one through "password
    forgotten" once their e-mail address is known). Returns (profile, created, changed)."""
    number = lehrlingsrolle_number.strip()
    if business.chamber_id != chamber.pk:
        raise NotFound(_("Betrieb nicht gefunden."), field="business")
    person = {"first_name": first_name, "last_name": last_name, "date_of_birth": date_of_birth}
    apprenticeship = {
        "occupation": occupation,
        "occupation_code": occupation_code,
        "apprenticeship_start": apprenticeship_start,
    }
    email = "" if email is UNCHANGED else (email or "").strip().lower()
    with transaction.atomic():
        profile = (
            # of=self: PostgreSQL cannot lock the nullable side (business) of the outer join.
            TraineeProfile.objects.select_for_update(of=("self",))
            .select_related("user", "business")
            .filter(lehrlingsrolle_number=number)
            .first()
        )
        if profile is None:
            if email and User.objects.filter(email__iexact=email).exists():
                raise Conflict(_("Diese E-Mail-Adresse ist schon vergeben."), field="email")
            try:
                with transaction.atomic():
                    user = User(email=email or _placeholder_email(number), **given(**person))
                    user.set_unusable_password()
                    user.save()
                    profile = TraineeProfile.objects.create(
                        user=user,
                        business=business,
                        lehrlingsrolle_number=number,
                        kind=TraineeProfile.Kind.APPRENTICE if kind is UNCHANGED else kind,
                        **given(**apprenticeship),
                    )
            except IntegrityError as exc:
                raise Conflict(
                    _("Die Lehrlingsrollen-Nummer wird gerade gleichzeitig angelegt."),
                    field="lehrlingsrolle_number",
                ) from exc
            audit(actor=actor, action="api.trainee_created", obj=profile, number=number)
            return profile, True, True
        # An apprentice of another chamber's business is not this chamber's to change.
        if profile.business is None or profile.business.chamber_id != chamber.pk:
            raise Conflict(
                _("Diese Lehrlingsrollen-Nummer gehört zu keinem Mitgliedsbetrieb dieser Kammer."),
                field="lehrlingsrolle_number",
            )
        user = profile.user
        user_changed = apply_changes(user, **person)
        if email and email != user.email:
            if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
                raise Conflict(_("Diese E-Mail-Adresse ist schon vergeben."), field="email")
            user.email = email
            user_changed.append("email")
        profile_changed = apply_changes(profile, **apprenticeship, kind=kind)
        if profile.business_id != business.pk:
            profile.business = business
            profile_changed.append("business")
        if user_changed:
            user.save(update_fields=[*user_changed, "updated_at"])
        if user_changed or profile_changed:
            # The profile is what the API lists, so a change of the person bumps it too.
            profile.save(update_fields=[*profile_changed, "updated_at"])
            audit(
                actor=actor,
                action="api.trainee_updated",
                obj=profile,
                fields=user_changed + profile_changed,
            )
        return profile, False, bool(user_changed or profile_changed)


def delete_trainee(*, profile: TraineeProfile, actor=None) -> None:
    """Delete a trainee profile and its login when the account has nothing else (no roles)."""
    with transaction.atomic():
        audit(actor=actor, action="api.trainee_deleted", obj=profile)
        user = profile.user
        profile.delete()
        if not user.memberships.exists() and not user.has_usable_password():
            user.delete()
