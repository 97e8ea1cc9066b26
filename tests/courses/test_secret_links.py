"""Calendar-feed and approval tokens are stored as SHA-256 digests: someone reading the database
or a backup finds no usable link. Links handed out before (feeds in calendar apps, approval
e-mails) keep working after the data migration hashed them in place."""

import hashlib
import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from courses.models import CalendarFeed, Enrolment
from courses.services.booking.book import book
from tests.courses.booking_fixtures import make_run, verified_trainee
from tests.courses.planning_fixtures import make_plan
from tests.factories import business_contact

pytestmark = pytest.mark.django_db

migration = importlib.import_module("courses.migrations.0005_secret_links_hashed")


def _database_holds(text: str) -> list[str]:
    """Every table and column of the courses app in which `text` occurs."""
    found = []
    with connection.cursor() as cursor:
        for model in (CalendarFeed, Enrolment):
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                if field.get_internal_type() not in ("CharField", "TextField"):
                    continue
                column = connection.ops.quote_name(field.column)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE {column} LIKE %s",  # noqa: S608
                    [f"%{text}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{field.column}")
    return found


def test_a_feed_token_is_shown_once_and_stored_only_as_a_digest(client):
    plan = make_plan(units=0)
    client.force_login(plan.coordinator)
    response = client.post(reverse("courses:staff_feed_list"), {"scope": "school"})
    token = re.search(r"/staff/calendar/feed/([^\"/]+)\.ics", response.content.decode()).group(1)
    feed = CalendarFeed.objects.get(school=plan.school)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert _database_holds(token) == []
    assert client.get(reverse("courses:staff_feed", args=[token])).status_code == 200
    # Shown once: the list shows it no more.
    assert token not in client.get(reverse("courses:staff_feed_list")).content.decode()
    # The digest itself is no credential.
    assert client.get(reverse("courses:staff_feed", args=[feed.token_hash])).status_code == 404


def test_an_approval_token_lives_only_in_the_e_mail(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    person = verified_trainee()
    contact = business_contact(person.trainee_profile.business)
    with django_capture_on_commit_callbacks(execute=True):
        pending = book(run=make_run(requires_employer_approval=True), participant=person)
    request = next(m for m in mailoutbox if m.to == [contact.email])
    token = re.search(r"/business/approvals/([^/\s]+)/", request.body).group(1)
    assert _database_holds(token) == []
    pending.refresh_from_db()
    assert pending.approval_token_hash == hashlib.sha256(token.encode()).hexdigest()
    client.force_login(contact)
    client.post(f"/business/approvals/{token}/", {"decision": "approve"})
    pending.refresh_from_db()
    assert pending.status == "confirmed"
    # The digest found in a leaked backup opens nothing.
    assert client.get(f"/business/approvals/{pending.approval_token_hash}/").status_code == 404


def test_links_handed_out_before_the_migration_keep_working(client):
    """Rows as they were before: tokens in clear. The data migration hashes them in place."""
    plan = make_plan(units=0)
    old_feed_token = "alter-Kalender-Link-aus-2025-" + "x" * 20
    CalendarFeed.objects.create(token_hash=old_feed_token, school=plan.school)
    person = verified_trainee()
    pending = book(run=make_run(requires_employer_approval=True), participant=person)
    old_approval_token = "alter-Freigabe-Link-" + "y" * 24
    Enrolment.objects.filter(pk=pending.pk).update(approval_token_hash=old_approval_token)

    migration.hash_in_place(apps, None)

    assert _database_holds(old_feed_token) == [] and _database_holds(old_approval_token) == []
    assert client.get(reverse("courses:staff_feed", args=[old_feed_token])).status_code == 200
    client.force_login(business_contact(person.trainee_profile.business))
    page = client.get(f"/business/approvals/{old_approval_token}/")
    assert page.status_code == 200 and "Freigeben" in page.content.decode()
