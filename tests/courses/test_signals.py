"""outcome_change_requested: sent with the locked enrolment and the new status before an outcome
changes; a receiver that raises a DomainError vetoes the change."""

import pytest

from core.errors import DomainError
from courses.models import Enrolment
from courses.services.completion import complete_run, set_completion_status
from courses.signals import outcome_change_requested
from tests.courses.booking_fixtures import make_run
from tests.factories import trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed_enrolment():
    run = make_run(day=-5, sessions=1)
    enrolment = Enrolment.objects.create(
        run=run, participant=trainee(), participant_name="T", status="confirmed"
    )
    complete_run(run=run, close_missing=True)  # never present: no-show
    enrolment.refresh_from_db()
    return enrolment


def test_receivers_hear_the_enrolment_and_the_new_status(completed_enrolment):
    heard = []

    def listen(sender, *, enrolment, status, **kwargs):
        heard.append((sender, enrolment.pk, enrolment.status, status))

    outcome_change_requested.connect(listen)
    try:
        set_completion_status(enrolment=completed_enrolment, status="completed", actor=None)
    finally:
        outcome_change_requested.disconnect(listen)
    assert heard == [(Enrolment, completed_enrolment.pk, "no_show", "completed")]


def test_a_receiver_vetoes_by_raising_a_domain_error(completed_enrolment):
    def veto(sender, **kwargs):
        raise DomainError("nein", field="status")

    outcome_change_requested.connect(veto)
    try:
        with pytest.raises(DomainError, match="nein"):
            set_completion_status(enrolment=completed_enrolment, status="completed", actor=None)
    finally:
        outcome_change_requested.disconnect(veto)
    completed_enrolment.refresh_from_db()
    assert completed_enrolment.status == "no_show"
