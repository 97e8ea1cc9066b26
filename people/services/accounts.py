"""Accounts made by the school's coordinators for people who register by phone or on paper.

The account has no password: an e-mail (through the outbox, in the person's language) tells the
person that it exists and where to set one ("password forgotten" with their address). No secret
is in that e-mail, so nothing readable is kept in the outbox either. An address that already
belongs to an account is never changed or taken over: that account is used as it is."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput
from core.links import absolute_url
from core.services.outbox import enqueue_email

from ..emails import message_to
from ..models import TraineeProfile, User


def participant_account(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    language: str = "",
    actor: User,
    invited_by: str = "",
) -> tuple[User, bool]:
    """The account of `email`, or a new private participant (no employer) with an unusable
    password. Returns (user, created). Names are required only for a new account; `invited_by`
    (e.g. the school's name) is named in the e-mail to the new person."""
    address = email.strip().lower()
    if not address:
        raise InvalidInput(_("Bitte eine E-Mail-Adresse angeben."), field="email")
    existing = User.objects.filter(email__iexact=address).first()
    if existing is not None:
        return existing, False
    first_name, last_name = first_name.strip(), last_name.strip()
    if not first_name:
        raise InvalidInput(_("Für ein neues Konto bitte den Vornamen angeben."), field="first_name")
    if not last_name:
        raise InvalidInput(_("Für ein neues Konto bitte den Nachnamen angeben."), field="last_name")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with transaction.atomic():
        try:
            with transaction.atomic():
                user = User(
                    email=address, first_name=first_name, last_name=last_name, language=language
                )
                user.set_unusable_password()
                user.save()
        except IntegrityError as exc:
            raise InvalidInput(
                _("Diese E-Mail-Adresse wird gerade gleichzeitig angelegt."), field="email"
            ) from exc
        EmailAddress.objects.create(user=user, email=address, verified=False, primary=True)
        TraineeProfile.objects.create(user=user, kind=TraineeProfile.Kind.OTHER)
        audit(actor=actor, action="account.created_by_staff", obj=user)
        enqueue_email(
            message_to(
                user,
                "account_created",
                {
                    "name": user.get_full_name(),
                    "email": address,
                    "invited_by": invited_by,
                    "reset_url": absolute_url("account_reset_password"),
                    "login_url": absolute_url("account_login"),
                },
            )
        )
    return user, True
