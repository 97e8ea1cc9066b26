"""A business invites a person by e-mail. The code is shown once (in the e-mail, as a link and
typed) and stored as its SHA-256 only, as API keys are.

Accepting from the account whose verified address received the invitation confirms the
employment at once: the business asked and the person agreed. Accepted by any other account (a
forwarded e-mail), it becomes a request the contact still has to confirm."""

import datetime as dt
import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import DomainError
from core.links import absolute_url

from ..emails import language_of, message_to_address
from ..models import OPEN_STATUSES, Business, Employment, EmploymentInvitation, User
from .employment import _check_contact, _lock_person, confirm_locked, send_on_commit

INVITATION_DAYS = 30
# Unambiguous letters and digits (no 0/O, 1/I/L): the code may be read aloud and typed.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(16))  # ~79 bits
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def hash_code(code: str) -> str:
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


def invitation_create(
    *, business: Business, email: str, actor: User, lang: str = "de"
) -> tuple[EmploymentInvitation, str]:
    """Invite a person to join the business; returns the invitation and its code (shown once).
    An e-mail with the link goes to the address, in the account's language if it has one."""
    _check_contact(actor, business)
    address = email.strip().lower()
    account = User.objects.filter(email__iexact=address).first()
    if (
        account is not None
        and Employment.objects.filter(
            user=account, business=business, status=Employment.Status.CONFIRMED
        ).exists()
    ):
        raise DomainError(_("Diese Person ist bei Ihrem Betrieb schon bestätigt."), field="email")
    code = new_code()
    with transaction.atomic():
        invitation = EmploymentInvitation.objects.create(
            business=business,
            email=address,
            code_hash=hash_code(code),
            invited_by=actor,
            expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
        )
        audit(actor=actor, action="employment.invited", obj=invitation)
        send_on_commit(
            [
                message_to_address(
                    address,
                    language_of(account) if account else lang,
                    "employment_invitation",
                    {
                        "business": business.name,
                        "inviter": actor.get_full_name() or actor.email,
                        "code": code,
                        "url": absolute_url("people:invitation", code=code),
                        "days": INVITATION_DAYS,
                    },
                )
            ]
        )
    return invitation, code


def invitation_accept(*, user: User, code: str) -> Employment:
    """The signed-in person accepts an invitation by its code."""
    now = timezone.now()
    with transaction.atomic():
        _lock_person(user)
        invitation = (
            # of=self: PostgreSQL cannot lock the nullable side (invited_by) of the outer join.
            EmploymentInvitation.objects.select_for_update(of=("self",))
            .select_related("business", "invited_by")
            .filter(code_hash=hash_code(code))
            .first()
        )
        if invitation is None or not invitation.is_open(now) or not invitation.business.is_active:
            raise DomainError(
                _("Diese Einladung gibt es nicht, sie ist abgelaufen oder schon verwendet."),
                field="code",
            )
        business = invitation.business
        employment = (
            Employment.objects.select_for_update()
            .filter(user=user, business=business, status__in=OPEN_STATUSES)
            .first()
        )
        if employment is not None and employment.status == Employment.Status.CONFIRMED:
            raise DomainError(_("Sie sind bei diesem Betrieb schon bestätigt."), field="code")
        if employment is None:
            employment = Employment(
                user=user,
                business=business,
                source=Employment.Source.INVITATION,
                requested_by=invitation.invited_by,
            )
        invitation.used_at, invitation.used_by = now, user
        invitation.save(update_fields=["used_at", "used_by", "updated_at"])
        addressee = EmailAddress.objects.filter(
            user=user, email__iexact=invitation.email, verified=True
        ).exists()
        if addressee:
            employment.confirmed_by = user
            confirm_locked(employment, actor=user, now=now, source=Employment.Source.INVITATION)
        else:
            employment.save()
            audit(actor=user, action="employment.requested", obj=employment, via="invitation")
        audit(actor=user, action="employment.invitation_used", obj=invitation, confirmed=addressee)
    return employment


def invitation_revoke(*, invitation: EmploymentInvitation, actor: User) -> None:
    _check_contact(actor, invitation.business)
    with transaction.atomic():
        updated = EmploymentInvitation.objects.filter(
            pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        if updated:
            audit(actor=actor, action="employment.invitation_revoked", obj=invitation)
