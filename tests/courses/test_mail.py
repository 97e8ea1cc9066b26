"""Sending the booking e-mails (services/mail.py): a redelivered task sends nothing twice, and an
approval request is not sent for a seat that was decided meanwhile."""

import uuid

import pytest

from courses.services.booking.approvals import approve
from courses.services.booking.book import book
from courses.services.mail import send_approval_request, send_enrolment_email
from tests.courses.booking_fixtures import make_run, verified_trainee
from tests.factories import business_contact

pytestmark = pytest.mark.django_db


def test_the_same_message_is_sent_once_however_often_the_task_runs(mailoutbox):
    person = verified_trainee()
    enrolment = book(run=make_run(), participant=person)  # its own e-mail waits for the commit
    message_id = uuid.uuid4().hex
    send = {"enrolment_id": enrolment.pk, "kind": "confirmation", "message_id": message_id}
    assert send_enrolment_email(**send) is True
    assert send_enrolment_email(**send) is False
    assert [m.to for m in mailoutbox] == [[person.email]]
    # another message about the same enrolment is another e-mail
    assert send_enrolment_email(**(send | {"message_id": uuid.uuid4().hex})) is True
    assert len(mailoutbox) == 2


def test_no_approval_request_once_the_employer_has_decided(mailoutbox):
    person = verified_trainee()
    pending = book(run=make_run(requires_employer_approval=True), participant=person)
    approve(enrolment_id=pending.pk, actor=business_contact(pending.business))
    assert send_approval_request(enrolment_id=pending.pk, token=pending.approval_token) == 0
    assert mailoutbox == []
