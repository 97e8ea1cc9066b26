"""Certificates veto an outcome change through courses' signal; courses itself never looks at
certificates."""

import pytest

from certificates.receivers import veto_outcome_change_of_certified_enrolment
from certificates.services import issue_certificate, revoke_certificate
from courses.errors import CompletionNotAllowed
from courses.models import Enrolment
from courses.services.completion import set_completion_status
from courses.signals import outcome_change_requested

pytestmark = pytest.mark.django_db

DISPATCH_UID = "certificates.veto_outcome_change_of_certified_enrolment"


def test_a_valid_certificate_keeps_the_outcome_until_it_is_revoked(enrolment):
    certificate = issue_certificate(enrolment=enrolment, actor=None)
    with pytest.raises(CompletionNotAllowed) as error:
        set_completion_status(enrolment=enrolment, status="not_completed", actor=None)
    assert error.value.message == (
        "Für diese Anmeldung gibt es eine gültige Bescheinigung; bitte zuerst widerrufen."
    )
    assert error.value.field == "status"
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    revoke_certificate(certificate=certificate, actor=None, reason="Kurs nicht bestanden")
    changed = set_completion_status(enrolment=enrolment, status="not_completed", actor=None)
    assert changed.status == Enrolment.Status.NOT_COMPLETED


def test_the_veto_only_guards_certified_enrolments_leaving_completed(make_enrolment):
    plain = make_enrolment()
    changed = set_completion_status(enrolment=plain, status="no_show", actor=None)
    assert changed.status == Enrolment.Status.NO_SHOW
    certified = make_enrolment(first_name="Lena")
    issue_certificate(enrolment=certified, actor=None)
    # "completed" is what the certificate says: asking for it is never vetoed.
    veto_outcome_change_of_certified_enrolment(
        Enrolment, enrolment=certified, status=Enrolment.Status.COMPLETED
    )
    with pytest.raises(CompletionNotAllowed):
        veto_outcome_change_of_certified_enrolment(
            Enrolment, enrolment=certified, status=Enrolment.Status.NO_SHOW
        )


def test_the_signal_is_the_only_link(enrolment):
    """Without the receiver, courses changes the outcome of a certified enrolment: it does not read
    certificates itself."""
    issue_certificate(enrolment=enrolment, actor=None)
    assert outcome_change_requested.disconnect(dispatch_uid=DISPATCH_UID)
    try:
        changed = set_completion_status(enrolment=enrolment, status="not_completed", actor=None)
    finally:
        outcome_change_requested.connect(
            veto_outcome_change_of_certified_enrolment, dispatch_uid=DISPATCH_UID
        )
    assert changed.status == Enrolment.Status.NOT_COMPLETED
