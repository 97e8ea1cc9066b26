"""Writes of sign-in links: a person's first sign-in through an identity provider asks for a link,
a district admin confirms or refuses it. Each function is one transaction and audits its change."""

from allauth.socialaccount.models import SocialAccount
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import DomainError, PermissionDenied
from core.links import absolute_url
from core.services.outbox import enqueue_email
from core.validators import one_line

from .models import SignInLink
from .selectors import admins_answering_for


@transaction.atomic
def request_link(*, user, provider: str, uid: str, email: str, name: str = "") -> SignInLink:
    """The link of this identity (provider, uid) to `user`, created pending if new. A link that was
    confirmed but whose allauth account has since been removed (the person disconnected it) asks
    again; a refused one stays refused until an admin deletes it."""
    link, created = SignInLink.objects.select_for_update().get_or_create(
        provider=provider,
        uid=uid,
        defaults={"user": user, "email": email, "name": name[:200]},
    )
    if not created:
        if link.status != SignInLink.Status.APPROVED or _allauth_account(link).exists():
            return link
        link.user, link.email, link.name = user, email, name[:200]
        link.status, link.decided_at, link.decided_by = SignInLink.Status.PENDING, None, None
        link.save()
    audit(actor=None, action="signin_link.requested", obj=link, user_id=user.pk)
    link_request_notice_send(link_id=link.pk)
    return link


def link_request_notice_send(*, link_id: int) -> int:
    """Tell the district admins who may confirm a pending link that it waits, each in their
    language, through the e-mail outbox (in the caller's transaction). Returns how many were
    told (none once the link is decided)."""
    link = SignInLink.objects.select_related("user").filter(pk=link_id).first()
    if link is None or link.status != SignInLink.Status.PENDING:
        return 0
    told = 0
    for admin in admins_answering_for(link.user_id):
        with translation.override(admin.language or "de"):
            subject = _("Anmeldung über %(provider)s wartet auf Bestätigung: %(person)s") % {
                "provider": link.provider,
                "person": link.user,
            }
            body = _(
                "%(person)s (%(email)s) hat sich zum ersten Mal über den Identitätsanbieter "
                "%(provider)s angemeldet (dort: %(idp_email)s).\n\n"
                "Bitte bestätigen oder lehnen Sie die Verknüpfung ab:\n%(url)s\n"
            ) % {
                "person": link.user,
                "email": link.user.email,
                "provider": link.provider,
                "idp_email": link.email,
                "url": absolute_url("signin:link_list"),
            }
        enqueue_email(EmailMessage(one_line(subject), body, to=[admin.email]))
        told += 1
    return told


@transaction.atomic
def approve_link(*, link: SignInLink, actor) -> SignInLink:
    """Confirm the link: from now on the provider signs the person in to their account (with the
    roles the account has; the link gives none). Side effects: allauth's SocialAccount, an audit
    row."""
    link = _locked_pending(link, actor)
    SocialAccount.objects.get_or_create(
        provider=link.provider,
        uid=link.uid,
        defaults={"user": link.user, "extra_data": {"email": link.email}},
    )
    _decide(link, actor, SignInLink.Status.APPROVED)
    return link


@transaction.atomic
def refuse_link(*, link: SignInLink, actor) -> SignInLink:
    """Refuse the link: the provider's sign-ins for this identity keep being turned away."""
    link = _locked_pending(link, actor)
    _decide(link, actor, SignInLink.Status.REFUSED)
    return link


def _locked_pending(link: SignInLink, actor) -> SignInLink:
    link = SignInLink.objects.select_for_update().get(pk=link.pk)
    if link.user_id == actor.pk:
        raise PermissionDenied(_("Die eigene Verknüpfung bestätigt eine andere Person."))
    if link.status != SignInLink.Status.PENDING:
        raise DomainError(_("Über diese Verknüpfung ist bereits entschieden."), field="status")
    return link


def _decide(link: SignInLink, actor, status: str) -> None:
    link.status, link.decided_at, link.decided_by = status, timezone.now(), actor
    link.save(update_fields=["status", "decided_at", "decided_by"])
    audit(actor=actor, action=f"signin_link.{status}", obj=link, user_id=link.user_id)


def _allauth_account(link: SignInLink):
    return SocialAccount.objects.filter(provider=link.provider, uid=link.uid)
