"""The e-mails of demand, each in the recipient's language. Texts live in
templates/demand/emails/<language>/<kind>.txt (first line subject, a blank line, then the body),
like the booking e-mails of courses."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation

from core.links import absolute_url
from core.textmail import render_text
from core.validators import one_line

from .models import MIN_ANSWERS, CourseRequest, FeedbackInvitation, InterestNotification
from .models.interest import priority_window


def language_of(user) -> str:
    lang = (getattr(user, "language", "") or settings.LANGUAGE_CODE)[:2]
    return lang if lang in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _message(kind: str, user, context: dict) -> EmailMessage:
    lang = language_of(user)
    names = [f"demand/emails/{lang}/{kind}.txt", f"demand/emails/de/{kind}.txt"]
    with translation.override(lang):
        text = render_text(names, {"name": user.get_full_name() or user.email, **context})
    subject, _sep, body = text.strip().partition("\n\n")
    return EmailMessage(
        subject=one_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject),
        body=body.strip() + "\n",
        to=[user.email],
    )


def run_published_email(notification: InterestNotification) -> EmailMessage:
    run = notification.run
    window = priority_window(run)
    return _message(
        "run_published",
        notification.interest.user,
        {
            "course": run.course,
            "run": run,
            "window": window is not None,
            "window_start": window[0] if window else None,
            "window_end": window[1] if window else None,
            "run_url": absolute_url("courses:run", run.pk),
            "interests_url": absolute_url("demand:my_interests"),
        },
    )


def interest_expiring_email(interest) -> EmailMessage:
    return _message(
        "interest_expiring",
        interest.user,
        {
            "course": interest.course,
            "interest": interest,
            "interests_url": absolute_url("demand:my_interests"),
        },
    )


def feedback_invitation_email(invitation: FeedbackInvitation) -> EmailMessage:
    enrolment = invitation.enrolment
    return _message(
        "feedback_invitation",
        enrolment.participant,
        {
            "course": enrolment.run.course,
            "run": enrolment.run,
            "feedback_url": absolute_url("demand:feedback_form", enrolment.run_id),
            "minimum": MIN_ANSWERS,
        },
    )


def request_answered_email(course_request: CourseRequest) -> EmailMessage:
    user = course_request.requested_by
    with translation.override(language_of(user)):
        status = str(course_request.get_status_display())
    return _message(
        "request_answered",
        user,
        {
            "request": course_request,
            "status": status,
            "requests_url": absolute_url("demand:business_requests"),
        },
    )
