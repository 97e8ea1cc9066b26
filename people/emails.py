"""E-mails about employment and chamber records, each in the recipient's language.

Texts live in templates/emails/<language>/<kind>.txt (first line subject, a blank line, the body),
as the booking e-mails do; the subject is made one line whatever a name holds."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation

from core.textmail import render_text
from core.validators import one_line

from .models import Business, Membership


def language_of(user) -> str:
    lang = (getattr(user, "language", "") or settings.LANGUAGE_CODE)[:2]
    return lang if lang in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def render(kind: str, lang: str, context: dict) -> tuple[str, str]:
    with translation.override(lang):
        text = render_text(
            [f"emails/{lang}/{kind}.txt", f"emails/de/{kind}.txt"],
            {**context, "site_url": settings.SITE_URL},
        )
    subject, _, body = text.strip().partition("\n\n")
    return one_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject), body.strip() + "\n"


def message_to(user, kind: str, context: dict) -> EmailMessage:
    subject, body = render(kind, language_of(user), context)
    return EmailMessage(subject=subject, body=body, to=[user.email])


def message_to_address(address: str, lang: str, kind: str, context: dict) -> EmailMessage:
    subject, body = render(kind, lang, context)
    return EmailMessage(subject=subject, body=body, to=[address])


def messages_to_contacts(business: Business, kind: str, context: dict) -> list[EmailMessage]:
    """One e-mail per active contact of the business, each in their own language."""
    contacts = (
        Membership.objects.filter(
            business=business, role=Membership.Role.BUSINESS_CONTACT, user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
    )
    return [message_to(m.user, kind, context) for m in contacts if m.user.email]
