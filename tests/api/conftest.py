import socket

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.models import SCOPES
from api.services.keys import create_api_key
from tests.factories import BusinessFactory, ChamberFactory, TraineeProfileFactory

ALL_SCOPES = [code for code, _label in SCOPES]


@pytest.fixture(autouse=True)
def _api_settings(settings):
    # High enough to never throttle; the throttle test lowers it.
    settings.API_THROTTLE_RATE = "100000/min"
    settings.SITE_URL = "https://lernwerkstatt.example"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def chamber(db):
    return ChamberFactory(code="HWK-LG", name="Handwerkskammer Lüneburg-Stade")


@pytest.fixture
def other_chamber(db):
    return ChamberFactory(code="HWK-H", name="Handwerkskammer Hannover")


def free_port() -> int:
    """A port nothing listens on now (the OS picks it): fixed ports collide between parallel
    test runs."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PROBLEM_KEYS = {"type", "title", "status", "detail", "code", "errors"}


def assert_problem(response, status: int) -> dict:
    """The response is an RFC 9457 problem with this status; returns its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["type"].startswith("urn:lernwerkstatt:problem:")
    return body


def sync(api, path, **params):
    """Page through a list to its end, as a syncing client does; returns the rows and the last
    cursor."""
    rows, query, cursor = [], {"page_size": 3, **params}, None
    while True:
        page = api.get(path, {**query, **({"cursor": cursor} if cursor else {})}).json()
        rows += page["results"]
        cursor = page["next_cursor"]
        if not cursor:
            return rows, page["last_cursor"]


def client_for(plaintext: str | None) -> APIClient:
    client = APIClient()
    if plaintext:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return client


@pytest.fixture
def make_client(db):
    def make(chamber, scopes=None):
        _key, plaintext = create_api_key(chamber=chamber, name="test", scopes=scopes or ALL_SCOPES)
        return client_for(plaintext)

    return make


@pytest.fixture
def api(make_client, chamber):
    return make_client(chamber)


@pytest.fixture
def member(chamber):
    return BusinessFactory(chamber=chamber, member_number="4711", name="Tischlerei Schröder")


@pytest.fixture
def apprentice(member):
    return TraineeProfileFactory(
        business=member, lehrlingsrolle_number="LR-2024-001", occupation="Tischler:in"
    )


@pytest.fixture
def world(chamber, member, apprentice, settings, tmp_path):
    """A run with a session, an enrolment of the chamber's apprentice with attendance and a
    certificate (PDF on disk), a webhook and a tombstone: something behind every endpoint."""
    import datetime as dt
    from types import SimpleNamespace

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from api.services.tombstones import record_tombstone
    from api.services.webhooks import create_webhook
    from certificates.models import Certificate
    from courses.models import Attendance
    from tests.factories import CourseRunFactory, EnrolmentFactory, SessionFactory

    run = CourseRunFactory(capacity=2, min_participants=1)
    session = SessionFactory(run=run)
    enrolment = EnrolmentFactory(run=run, participant=apprentice.user)
    attendance = Attendance.objects.create(
        enrolment=enrolment, session=session, status=Attendance.Status.PRESENT
    )
    certificate = Certificate(
        enrolment=enrolment,
        number="BBS-2025-0001",
        verification_code="abc123",
        issued_at=timezone.now() - dt.timedelta(days=1),
    )
    certificate.pdf.save("c.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    certificate.save()
    webhook, _secret = create_webhook(
        chamber=chamber, url="http://127.0.0.1:9/hook", events=["enrolment.created"]
    )
    tombstone = record_tombstone(resource="businesses", object_id=999, chamber_id=chamber.pk)
    return SimpleNamespace(
        run=run,
        course=run.course,
        session=session,
        enrolment=enrolment,
        attendance=attendance,
        certificate=certificate,
        webhook=webhook,
        tombstone=tombstone,
        business=member,
        trainee=apprentice,
    )
