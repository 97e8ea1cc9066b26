"""A chamber's apprentice record for a person who already has an account. The chamber never
changes that account (e-mail, password, activation); it asks, and the account's owner confirms
through a signed link sent to the account's own address, after signing in."""

import datetime as dt

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import DomainError, PermissionDenied
from core.links import absolute_url

from ..emails import message_to
from ..models import Business, Chamber, ChamberLink, TraineeProfile, User
from .employment import _lock_person, employment_from_chamber, send_on_commit

SALT = "people.chamber_link"
LINK_DAYS = 14


def link_token(link: ChamberLink) -> str:
    return signing.dumps(link.pk, salt=SALT)


def link_id_from_token(token: str) -> int | None:
    """The link's id, if the token is ours and younger than LINK_DAYS."""
    try:
        return int(signing.loads(token, salt=SALT, max_age=dt.timedelta(days=LINK_DAYS)))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def chamber_link_request(
    *,
    chamber: Chamber,
    user: User,
    business: Business,
    lehrlingsrolle_number: str,
    kind: str,
    occupation: str = "",
    apprenticeship_start: dt.date | None = None,
    actor=None,
) -> tuple[ChamberLink, bool]:
    """Record the chamber's data as waiting for the owner's confirmation and e-mail the owner at
    the account's own address (once; a repeated upsert updates the waiting data). Returns the
    link and whether it is new."""
    with transaction.atomic():
        link = (
            ChamberLink.objects.select_for_update()
            .filter(
                chamber=chamber,
                lehrlingsrolle_number=lehrlingsrolle_number,
                status=ChamberLink.Status.PENDING,
            )
            .first()
        )
        fields = {
            "user": user,
            "business": business,
            "kind": kind,
            "occupation": occupation,
            "apprenticeship_start": apprenticeship_start,
        }
        if link is not None and link.user_id == user.pk:
            for name, value in fields.items():
                setattr(link, name, value)
            link.save()
            return link, False
        if link is not None:  # the chamber now names another account: the first ask is void
            link.status, link.decided_at = ChamberLink.Status.DECLINED, timezone.now()
            link.save(update_fields=["status", "decided_at", "updated_at"])
        link = ChamberLink.objects.create(
            chamber=chamber, lehrlingsrolle_number=lehrlingsrolle_number, **fields
        )
        audit(actor=actor, action="chamber_link.requested", obj=link, user=user.pk)
        send_on_commit(
            [
                message_to(
                    user,
                    "chamber_link",
                    {
                        "name": user.get_full_name() or user.email,
                        "chamber": chamber.name,
                        "business": business.name,
                        "number": lehrlingsrolle_number,
                        "url": absolute_url("people:chamber_link", token=link_token(link)),
                        "days": LINK_DAYS,
                    },
                )
            ]
        )
    return link, True


def _decide(link: ChamberLink, user: User) -> ChamberLink:
    if link.user_id != user.pk:
        raise PermissionDenied(_("Diese Bestätigung ist für ein anderes Konto."))
    link = ChamberLink.objects.select_for_update().get(pk=link.pk)
    if link.status != ChamberLink.Status.PENDING:
        raise DomainError(_("Über diese Anfrage wurde schon entschieden."))
    return link


def chamber_link_confirm(*, link: ChamberLink, user: User) -> ChamberLink:
    """The owner confirms: the chamber's data go to their profile (their login stays theirs)
    and their employment with the member business is confirmed."""
    now = timezone.now()
    with transaction.atomic():
        _lock_person(user)
        link = _decide(link, user)
        profile = TraineeProfile.objects.filter(user=user).first() or TraineeProfile(user=user)
        profile.lehrlingsrolle_number = link.lehrlingsrolle_number
        profile.kind = link.kind
        if link.occupation:
            profile.occupation = link.occupation
        if link.apprenticeship_start:
            profile.apprenticeship_start = link.apprenticeship_start
        try:
            with transaction.atomic():
                profile.save()
        except IntegrityError as exc:
            raise DomainError(
                _("Diese Lehrlingsrollen-Nummer gehört schon zu einem anderen Konto."),
                field="lehrlingsrolle_number",
            ) from exc
        link.status, link.decided_at = ChamberLink.Status.CONFIRMED, now
        link.save(update_fields=["status", "decided_at", "updated_at"])
        employment_from_chamber(user=user, business=link.business, actor=user)
        audit(actor=user, action="chamber_link.confirmed", obj=link)
    return link


def chamber_link_decline(*, link: ChamberLink, user: User) -> ChamberLink:
    with transaction.atomic():
        link = _decide(link, user)
        link.status, link.decided_at = ChamberLink.Status.DECLINED, timezone.now()
        link.save(update_fields=["status", "decided_at", "updated_at"])
        audit(actor=user, action="chamber_link.declined", obj=link)
    return link
