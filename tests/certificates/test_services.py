"""Issuing, idempotency, numbering, revocation, reissue, events, audit and the e-mail."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from certificates.errors import AlreadyRevoked, NotEligible, ReasonRequired
from certificates.models import Certificate, CertificateSequence
from certificates.services import issue_certificate, reissue_certificate, revoke_certificate
from core.models import AuditEntry, DomainEvent
from courses.models import Enrolment
from tests.factories import CourseRunFactory, coordinator

pytestmark = pytest.mark.django_db


def test_issue_stores_data_pdf_and_hash(enrolment):
    import hashlib

    certificate = issue_certificate(enrolment=enrolment, actor=None)
    assert certificate.number.startswith("BBSI-")
    assert len(certificate.verification_code) >= 20
    with certificate.pdf.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    assert certificate.sha256 == hashlib.sha256(content).hexdigest()
    assert certificate.data["participant"]["name"] == "Jürgen Weiß-Großmann"
    assert certificate.data["course"]["title"] == "SPS-Programmierung für Einsteiger"
    assert certificate.data["sessions"][0]["start"].startswith("2026-03-02")
    # The file name is not guessable from the number alone.
    assert (
        certificate.pdf.name != f"certificates/{certificate.issued_at:%Y}/{certificate.number}.pdf"
    )


def test_verification_codes_are_random(make_enrolment):
    codes = {
        issue_certificate(enrolment=make_enrolment(), actor=None).verification_code
        for _ in range(5)
    }
    assert len(codes) == 5


def test_issuing_twice_returns_the_same_certificate(enrolment):
    first = issue_certificate(enrolment=enrolment, actor=None)
    second = issue_certificate(enrolment=enrolment, actor=None)
    assert first.pk == second.pk
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert CertificateSequence.objects.get().last_number == 1  # no number was burnt


@pytest.mark.parametrize(
    "status",
    [Enrolment.Status.CONFIRMED, Enrolment.Status.NOT_COMPLETED, Enrolment.Status.NO_SHOW],
)
def test_only_completed_enrolments_get_a_certificate(make_enrolment, status):
    enrolment = make_enrolment(status=status)
    with pytest.raises(NotEligible) as error:
        issue_certificate(enrolment=enrolment, actor=None)
    assert error.value.field == "enrolment"
    assert not Certificate.objects.exists()
    assert not CertificateSequence.objects.filter(last_number__gt=0).exists()


def test_the_database_refuses_a_second_valid_certificate(enrolment):
    certificate = issue_certificate(enrolment=enrolment, actor=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            enrolment=enrolment,
            number="X-1",
            verification_code="x",
            issued_at=certificate.issued_at,
        )


def test_numbers_are_gapless_per_school_and_year(make_enrolment, run):
    numbers = [issue_certificate(enrolment=make_enrolment(), actor=None).number for _ in range(3)]
    year = numbers[0].split("-")[1]
    assert numbers == [f"BBSI-{year}-00001", f"BBSI-{year}-00002", f"BBSI-{year}-00003"]
    # Another run of the same school continues the sequence; another school starts its own.
    same_school = CourseRunFactory(course=run.course)
    assert issue_certificate(enrolment=make_enrolment(run=same_school), actor=None).number == (
        f"BBSI-{year}-00004"
    )
    other_school = CourseRunFactory()
    other = issue_certificate(enrolment=make_enrolment(run=other_school), actor=None).number
    assert other == f"{other_school.school.code}-{year}-00001"


def test_a_failed_issue_leaves_no_number_and_no_file(enrolment, monkeypatch):
    import certificates.services as services

    def broken(*args, **kwargs):
        raise RuntimeError("printer on fire")

    monkeypatch.setattr(services, "audit", broken)  # fails after the PDF was stored
    with pytest.raises(RuntimeError):
        issue_certificate(enrolment=enrolment, actor=None)
    assert not Certificate.objects.exists()
    assert not CertificateSequence.objects.filter(last_number__gt=0).exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    monkeypatch.undo()
    assert issue_certificate(enrolment=enrolment, actor=None).number.endswith("-00001")


def test_issue_records_event_and_audit(enrolment):
    actor = coordinator(enrolment.run.school)
    certificate = issue_certificate(enrolment=enrolment, actor=actor)
    event = DomainEvent.objects.get(type="certificate.issued")
    assert event.chamber_id == enrolment.business.chamber_id
    assert event.payload["id"] == certificate.pk
    assert event.payload["number"] == certificate.number
    assert event.payload["enrolment"] == enrolment.pk
    assert event.payload["verification_url"].endswith(f"/verify/{certificate.verification_code}/")
    entry = AuditEntry.objects.get(action="certificate.issued")
    assert entry.actor == actor and entry.object_id == str(certificate.pk)
    assert certificate.issued_by == actor


def test_issue_emails_the_pdf_in_the_participants_language(
    make_enrolment, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        german = issue_certificate(enrolment=make_enrolment(), actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        english = issue_certificate(
            enrolment=make_enrolment(first_name="Anna", last_name="Strauß", language="en"),
            actor=None,
        )
    assert len(mailoutbox) == 2
    de_mail, en_mail = mailoutbox
    assert german.number in de_mail.subject and "Teilnahmebescheinigung" in de_mail.subject
    assert "Hallo Jürgen Weiß-Großmann" in de_mail.body
    assert english.number in en_mail.subject and "Teilnahmebescheinigung" not in en_mail.subject
    assert "Anna Strauß" in en_mail.body
    name, content, mimetype = de_mail.attachments[0]
    assert mimetype == "application/pdf" and name.endswith(f"{german.number}.pdf")
    with german.pdf.open("rb") as handle:
        assert content == handle.read()
    german.refresh_from_db()
    assert german.emailed_at is not None


def test_email_goes_out_once_even_if_the_task_runs_again(
    enrolment, mailoutbox, django_capture_on_commit_callbacks
):
    from certificates.tasks import send_certificate_email

    with django_capture_on_commit_callbacks(execute=True):
        certificate = issue_certificate(enrolment=enrolment, actor=None)
    assert len(mailoutbox) == 1
    assert send_certificate_email(certificate.pk) is False
    assert len(mailoutbox) == 1


def test_revoke_needs_a_reason_and_records_it(enrolment):
    certificate = issue_certificate(enrolment=enrolment, actor=None)
    with pytest.raises(ReasonRequired):
        revoke_certificate(certificate=certificate, actor=None, reason="  ")
    revoked = revoke_certificate(certificate=certificate, actor=None, reason="Falscher Name")
    assert revoked.revoked_at is not None and revoked.revoked_reason == "Falscher Name"
    assert not revoked.is_valid
    with pytest.raises(AlreadyRevoked):
        revoke_certificate(certificate=certificate, actor=None, reason="nochmal")
    event = DomainEvent.objects.get(type="certificate.revoked")
    assert event.payload["number"] == certificate.number and event.payload["revoked_at"]
    assert AuditEntry.objects.filter(
        action="certificate.revoked", data__reason="Falscher Name"
    ).exists()


def test_after_revocation_a_new_certificate_may_be_issued(enrolment):
    first = issue_certificate(enrolment=enrolment, actor=None)
    revoke_certificate(certificate=first, actor=None, reason="Fehler")
    second = issue_certificate(enrolment=enrolment, actor=None)
    assert second.pk != first.pk and second.number.endswith("-00002")


def test_reissue_revokes_and_issues_a_new_number_with_fresh_data(enrolment):
    old = issue_certificate(enrolment=enrolment, actor=None)
    participant = enrolment.participant
    participant.last_name = "Weiß-Großmann-Öztürk"
    participant.save()
    new = reissue_certificate(certificate=old, actor=None, reason="Name geändert")
    old.refresh_from_db()
    assert not old.is_valid and old.replaced_by == new
    assert new.is_valid and new.number != old.number and new.number.endswith("-00002")
    assert new.data["participant"]["name"] == "Jürgen Weiß-Großmann-Öztürk"
    assert old.data["participant"]["name"] == "Jürgen Weiß-Großmann"  # frozen
    assert "Weiß-Großmann-Öztürk" in PdfReader(new.pdf.path).metadata.subject
    assert set(DomainEvent.objects.values_list("type", flat=True)) == {
        "certificate.issued",
        "certificate.revoked",
    }
    assert DomainEvent.objects.filter(type="certificate.issued").count() == 2


def test_reissue_of_a_revoked_certificate_changes_nothing(enrolment):
    old = issue_certificate(enrolment=enrolment, actor=None)
    revoke_certificate(certificate=old, actor=None, reason="Fehler")
    with pytest.raises(AlreadyRevoked):
        reissue_certificate(certificate=old, actor=None, reason="nochmal")
    assert Certificate.objects.count() == 1
