"""A file the site keeps anyway (an issued certificate) goes into the outbox by its storage name:
the recipient gets its bytes, the outbox row holds no copy of them, and a file gone missing
before delivery is a failed attempt that is retried, not a message without its attachment."""

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage

from core.models import OutboxEmail
from core.services.outbox import StoredFile, enqueue_email

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.7 personal data\n" * 100


def _enqueue(name: str, capture) -> OutboxEmail:
    """Enqueued and, after the commit, handed to the (eager) worker, which sends it."""
    message = EmailMessage(subject="Ihre Bescheinigung", body="Anbei.", to=["a@example.org"])
    with capture(execute=True):
        return enqueue_email(
            message, stored_files=[StoredFile("Bescheinigung.pdf", name, "application/pdf")]
        )


def test_the_recipient_gets_the_stored_bytes_and_the_row_keeps_no_copy(
    django_capture_on_commit_callbacks,
):
    name = default_storage.save("certificates/test.pdf", ContentFile(CONTENT))
    row = _enqueue(name, django_capture_on_commit_callbacks)
    # As written in the issuing transaction: the name, not the bytes.
    assert row.attachments == [
        {"filename": "Bescheinigung.pdf", "mimetype": "application/pdf", "storage": name}
    ]
    (sent,) = mail.outbox
    assert sent.attachments == [("Bescheinigung.pdf", CONTENT, "application/pdf")]
    row.refresh_from_db()
    assert (row.status, row.attachments) == ("sent", [])


def test_a_missing_file_is_a_failed_attempt_retried_later(django_capture_on_commit_callbacks):
    row = _enqueue("certificates/gone.pdf", django_capture_on_commit_callbacks)
    row.refresh_from_db()
    assert mail.outbox == []
    assert (row.status, row.attempts) == ("pending", 1)
    assert "FileNotFoundError" in row.last_error
    assert row.next_attempt_at is not None
