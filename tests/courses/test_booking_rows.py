"""What a booking writes besides the enrolment, in its transaction: the audit entry, the events
the chambers' webhooks carry, the e-mail in the outbox and the run's new updated_at; for one
person and for a business booking several (their rows go to the database together)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEntry, DomainEvent, OutboxEmail
from courses.emails import ENROLMENT_RENDERER, language_of
from courses.errors import AlreadyEnrolled
from courses.models import CourseRun, Enrolment
from courses.services.booking import eligibility
from courses.services.booking.book import book, book_many
from tests.courses.booking_fixtures import make_run, verified_trainee
from tests.factories import BusinessFactory, business_contact

pytestmark = pytest.mark.django_db


def _events(enrolment):
    return list(
        DomainEvent.objects.filter(payload__id=enrolment.pk)
        .order_by("id")
        .values_list("type", "payload", "chamber_id", "dispatched_at")
    )


def _payload(enrolment, status, position=None):
    return {
        "id": enrolment.pk,
        "run": enrolment.run_id,
        "participant": enrolment.participant_id,
        "business": enrolment.business_id,
        "status": status,
        "source": "web",
        "waitlist_position": position,
    }


def test_a_booking_writes_its_audit_entry_events_e_mail_and_touches_the_run():
    run = make_run(capacity=1)
    first, second = verified_trainee(), verified_trainee()
    touched = CourseRun.objects.get(pk=run.pk).updated_at
    confirmed = book(run=run, participant=first)
    waiting = book(run=run, participant=second)

    entry = AuditEntry.objects.get(object_id=str(waiting.pk))
    assert (entry.actor, entry.action, entry.object_type, entry.data) == (
        second,
        "enrolment.created",
        "courses.enrolment",
        {"status": "waitlisted"},
    )
    chamber = first.trainee_profile.business.chamber_id
    assert [(t, p, c) for t, p, c, _at in _events(confirmed)] == [
        ("enrolment.created", _payload(confirmed, "confirmed"), chamber),
        ("enrolment.confirmed", _payload(confirmed, "confirmed"), chamber),
    ]
    assert [(t, p) for t, p, _c, _at in _events(waiting)] == [
        ("enrolment.created", _payload(waiting, "waitlisted", position=1)),
    ]
    mail = OutboxEmail.objects.get(recipients__contains=f" {second.email.lower()} ")
    assert (mail.status, mail.renderer, mail.params, mail.to) == (
        "pending",
        ENROLMENT_RENDERER,
        {"enrolment": waiting.pk, "kind": "waitlist", "lang": language_of(second), "position": 1},
        [second.email],
    )
    mail = OutboxEmail.objects.get(recipients__contains=f" {first.email.lower()} ")
    assert mail.params == {"enrolment": confirmed.pk, "kind": "confirmation", "lang": "de"}
    assert CourseRun.objects.get(pk=run.pk).updated_at > touched
    assert (waiting.status, waiting.booked_position) == ("waitlisted", 1)


def test_a_business_booking_writes_the_rows_of_each_person(is_postgres):
    run = make_run(capacity=1)
    business = BusinessFactory()
    contact = business_contact(business)
    people = [verified_trainee(business=business) for _ in range(3)]
    with CaptureQueriesContext(connection) as queries:
        enrolments = book_many(run=run, participants=people, booked_by=contact, business=business)
    assert [e.status for e in enrolments] == ["confirmed", "waitlisted", "waitlisted"]
    assert [e.waitlist_seq for e in enrolments] == [None, 1, 2]
    for enrolment, status, position in zip(
        enrolments, ["confirmed", "waitlisted", "waitlisted"], [None, 1, 2], strict=True
    ):
        expected = _payload(enrolment, status, position) | {"source": "web"}
        assert _events(enrolment)[0][:2] == ("enrolment.created", expected)
        entry = AuditEntry.objects.get(object_id=str(enrolment.pk))
        assert (entry.actor, entry.data) == (contact, {"status": status})
        assert OutboxEmail.objects.filter(params__enrolment=enrolment.pk).count() == 1
    inserts = [q for q in queries.captured_queries if "INSERT INTO" in q["sql"]]
    # PostgreSQL: every row of the three bookings in one round trip.
    assert len(inserts) == (1 if is_postgres else 3 + 3 + 4 + 3)


def test_a_duplicate_the_checks_missed_is_refused_by_the_constraint_and_writes_nothing(
    monkeypatch,
):
    run = make_run(capacity=5)
    person = verified_trainee()
    book(run=run, participant=person)
    rows = AuditEntry.objects.count(), DomainEvent.objects.count(), OutboxEmail.objects.count()
    facts_about = eligibility.facts_about

    def not_enrolled(**kwargs):
        facts = facts_about(**kwargs)
        return eligibility.Facts(**(facts.__dict__ | {"enrolled": False}))

    monkeypatch.setattr(eligibility, "facts_about", not_enrolled)
    with pytest.raises(AlreadyEnrolled) as err:
        book(run=run, participant=person)
    assert err.value.message == "Diese Anmeldung besteht bereits."
    assert Enrolment.objects.filter(run=run).count() == 1
    assert (
        AuditEntry.objects.count(),
        DomainEvent.objects.count(),
        OutboxEmail.objects.count(),
    ) == rows
