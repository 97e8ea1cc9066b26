"""Plain-text e-mails say names as they were typed: no HTML entities in text/plain (the certificate
e-mail used to greet `O&#x27;Brien`), for the certificate and the booking e-mails alike."""

import pytest
from django.template.loader import render_to_string

from certificates.services import issue_certificate
from core.textmail import render_text
from courses.services.booking.book import book
from tests.courses.booking_fixtures import make_run, verified_trainee

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zoë <Ann>", "O'Brien & Söhne"
TITLE = "Löten & Messen <SMD> für 'Profis'"
ENTITIES = ("&#x27;", "&#39;", "&amp;", "&lt;", "&gt;", "&quot;")


def _plain(text: str) -> None:
    assert not any(entity in text for entity in ENTITIES), text


def test_certificate_email_greets_the_name_as_typed(
    make_enrolment, mailoutbox, django_capture_on_commit_callbacks
):
    enrolment = make_enrolment(first_name=FIRST, last_name=LAST)
    with django_capture_on_commit_callbacks(execute=True):
        issue_certificate(enrolment=enrolment, actor=None)
    (mail,) = mailoutbox
    assert f"Hallo {FIRST} {LAST}," in mail.body
    _plain(mail.body)
    _plain(mail.subject)


def test_booking_email_keeps_quotes_ampersands_and_angle_brackets(
    mailoutbox, django_capture_on_commit_callbacks
):
    run = make_run(capacity=5, course__title=TITLE)
    person = verified_trainee(user__first_name=FIRST, user__last_name=LAST)
    with django_capture_on_commit_callbacks(execute=True):
        book(run=run, participant=person)
    (mail,) = mailoutbox
    assert mail.subject.endswith(TITLE)
    assert f"{FIRST} {LAST}" in mail.body and TITLE in mail.body
    _plain(mail.body)


def test_text_engine_never_escapes_and_html_engine_always_does():
    context = {"data": {"participant": {"name": LAST}, "course": {"title": TITLE}}}
    text = render_text("certificates/email/issued_body.txt", context)
    assert LAST in text
    # The same template through the HTML engine would escape: the reason for the text engine.
    assert "O&#x27;Brien &amp; Söhne" in render_to_string(
        "certificates/email/issued_body.txt", context
    )
