"""Apprentices of a chamber's member businesses, upserted by their natural key (the number in
the chamber's Lehrlingsrolle).

The chamber owns its data about the apprenticeship (number, occupation, start, employer), never
the login of an account someone uses: e-mail address, password and activation are the owner's.
An address that belongs to an existing account is not taken over either: the owner gets an
e-mail at their own address and confirms the chamber's record after signing in (ChamberLink)."""

import datetime as dt
import secrets
from typing import NamedTuple

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import audit
from people.models import Business, Chamber, ChamberLink, TraineeProfile
from people.services import chamber_link_request, employment_from_chamber

from ..errors import Conflict, NotFound
from .changes import UNCHANGED, Unchanged, apply_changes, given

User = get_user_model()


def _placeholder_email(number: str) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in number.lower()).strip("-") or "x"
    return f"azubi-{slug}-{secrets.token_hex(3)}@lehrlingsrolle.invalid"


PLACEHOLDER_DOMAIN = "@lehrlingsrolle.invalid"


class Upserted(NamedTuple):
    profile: TraineeProfile | None
    created: bool
    changed: bool
    # Set instead of a profile when the address belongs to an existing account: its owner
    # confirms first.
    link: ChamberLink | None = None


def chamber_may_set_login(user) -> bool:
    """Whether the account is still only the chamber's record: created by the API and never used
    (no password set, never signed in, no role, no confirmed address). Then the chamber may still
    correct the address it gave; once anyone used the account, its login is the owner's."""
    return (
        not user.has_usable_password()
        and user.last_login is None
        and not user.memberships.exists()
        and not EmailAddress.objects.filter(user=user, verified=True).exists()
    )


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
) -> Upserted:
    """Create or update an apprentice by Lehrlingsrolle number, employed by a member business of
    the chamber (a confirmed employment); fields not given stay as they are, an empty e-mail
    address changes nothing. A new apprentice gets a login with an unusable password (they set
    one through "password forgotten" once their e-mail address is known).

    Never changes an existing account's login: an address sent for an account in use is
    ignored (the response shows the account's own); a new number whose address belongs to an
    existing account becomes a ChamberLink its owner confirms (Upserted.link, nothing else
    written)."""
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
            owner = User.objects.filter(email__iexact=email).first() if email else None
            if owner is not None:
                link, _new = chamber_link_request(
                    chamber=chamber,
                    user=owner,
                    business=business,
                    lehrlingsrolle_number=number,
                    kind=TraineeProfile.Kind.APPRENTICE if kind is UNCHANGED else kind,
                    occupation="" if occupation is UNCHANGED else occupation,
                    apprenticeship_start=None
                    if apprenticeship_start is UNCHANGED
                    else apprenticeship_start,
                    actor=actor,
                )
                return Upserted(None, False, False, link)
            try:
                with transaction.atomic():
                    user = User(email=email or _placeholder_email(number), **given(**person))
                    user.set_unusable_password()
                    user.save()
                    profile = TraineeProfile.objects.create(
                        user=user,
                        lehrlingsrolle_number=number,
                        kind=TraineeProfile.Kind.APPRENTICE if kind is UNCHANGED else kind,
                        **given(**apprenticeship),
                    )
                    employment_from_chamber(user=user, business=business, actor=actor)
            except IntegrityError as exc:
                raise Conflict(
                    _("Die Lehrlingsrollen-Nummer wird gerade gleichzeitig angelegt."),
                    field="lehrlingsrolle_number",
                ) from exc
            audit(actor=actor, action="api.trainee_created", obj=profile, number=number)
            profile.refresh_from_db()
            return Upserted(profile, True, True)
        # An apprentice of another chamber's business is not this chamber's to change.
        if profile.business is None or profile.business.chamber_id != chamber.pk:
            raise Conflict(
                _("Diese Lehrlingsrollen-Nummer gehört zu keinem Mitgliedsbetrieb dieser Kammer."),
                field="lehrlingsrolle_number",
            )
        user = profile.user
        user_changed = apply_changes(user, **person)
        if email and email != user.email.lower():
            if not chamber_may_set_login(user):
                # The owner's login: never changed from here (a password reset would follow it).
                audit(actor=actor, action="api.trainee_email_kept", obj=profile)
            elif User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
                raise Conflict(_("Diese E-Mail-Adresse ist schon vergeben."), field="email")
            else:
                user.email = email
                user_changed.append("email")
        profile_changed = apply_changes(profile, **apprenticeship, kind=kind)
        if profile.business_id != business.pk:
            # The chamber registers the apprenticeship's move to another member business.
            employment_from_chamber(user=user, business=business, actor=actor)
            profile.refresh_from_db(fields=["business"])
            profile_changed.append("business")
        if user_changed:
            user.save(update_fields=[*user_changed, "updated_at"])
        if user_changed or profile_changed:
            # The profile is what the API lists, so a change of the person bumps it too.
            fields = [f for f in profile_changed if f != "business"]  # written by the service
            profile.save(update_fields=[*fields, "updated_at"])
            audit(
                actor=actor,
                action="api.trainee_updated",
                obj=profile,
                fields=user_changed + profile_changed,
            )
        return Upserted(profile, False, bool(user_changed or profile_changed))


def delete_trainee(*, profile: TraineeProfile, actor=None) -> None:
    """Delete a trainee profile, and its login only while the account is still just the
    chamber's record (nobody has used it): an account someone uses stays theirs."""
    with transaction.atomic():
        audit(actor=actor, action="api.trainee_deleted", obj=profile)
        user = profile.user
        profile.delete()
        if chamber_may_set_login(user):
            user.delete()
