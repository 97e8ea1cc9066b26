"""A chamber's view: generate a Python client from our schema with openapi-python-client and run
a full sync with it against a live server."""

import datetime as dt
import importlib
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.utils import timezone

from api.services.keys import create_api_key
from courses.models import Enrolment
from tests.factories import CourseRunFactory, SessionFactory

from .conftest import ALL_SCOPES

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture
def client_package(live_server, tmp_path):
    schema = tmp_path / "schema.json"
    url = f"{live_server.url}/api/v1/schema/?format=json"
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our live server
        schema.write_bytes(response.read())
    package = tmp_path / "lw_sync_client"
    subprocess.run(  # noqa: S603 - our own generator binary, arguments built here
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(schema),
            "--output-path",
            str(package),
            "--meta",
            "none",
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("lw_sync_client")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.split(".")[0] == "lw_sync_client"]:
            del sys.modules[name]


def _api(name: str):
    group, _sep, _rest = name.partition("_")
    return importlib.import_module(f"lw_sync_client.api.{group}.{name}")


def _models():
    return importlib.import_module("lw_sync_client.models")


def _all_pages(list_call, client, **params):
    rows, cursor = [], None
    while True:
        kwargs = {**params, "page_size": 2}
        if cursor:
            kwargs["cursor"] = cursor
        page = list_call.sync(client=client, **kwargs)
        rows += page.results
        cursor = page.next_cursor
        if not cursor:
            return rows


@pytest.mark.django_db(transaction=True)
def test_full_sync_with_a_generated_client(client_package, live_server, chamber):
    from certificates.services import issue_certificate

    _key, token = create_api_key(chamber=chamber, name="sync", scopes=ALL_SCOPES)
    client = client_package.AuthenticatedClient(base_url=live_server.url, token=token, timeout=30)
    models = _models()
    run = CourseRunFactory(capacity=1, min_participants=0)
    SessionFactory(run=run)

    # 1. Member businesses and apprentices upserted by their natural keys.
    for number, name in (("4711", "Tischlerei Schröder"), ("4712", "Elektro Kaya")):
        response = _api("businesses_update").sync_detailed(
            number, client=client, body=models.BusinessInputRequest(name=name, city="Stade")
        )
        assert response.status_code == 201, response.content
    for number, business, first in (("LR-1", "4711", "Jörg"), ("LR-2", "4712", "Özlem")):
        body = models.TraineeInputRequest(
            lehrlingsrolle_number=number, business=business, first_name=first, last_name="Test"
        )
        created = _api("trainees_create").sync_detailed(client=client, body=body)
        assert created.status_code == 201, created.content
        again = _api("trainees_create").sync_detailed(client=client, body=body)
        assert again.status_code == 200
        assert again.parsed.updated_at == created.parsed.updated_at

    # 2. Two bookings into a run with one seat: one confirmed, one on the waiting list.
    booked = [
        _api("enrolments_create").sync(
            client=client,
            body=models.EnrolmentInputRequest(run=run.pk, trainee=number),
            idempotency_key=f"book-{number}",
        )
        for number in ("LR-1", "LR-2")
    ]
    assert [str(e.status) for e in booked] == ["confirmed", "waitlisted"]
    assert booked[1].waitlist_position == 1

    # 3. A full sync, page by page.
    assert {b.member_number for b in _all_pages(_api("businesses_list"), client)} == {
        "4711",
        "4712",
    }
    assert {t.lehrlingsrolle_number for t in _all_pages(_api("trainees_list"), client)} == {
        "LR-1",
        "LR-2",
    }
    assert {e.id for e in _all_pages(_api("enrolments_list"), client)} == {e.id for e in booked}
    runs = _all_pages(_api("runs_list"), client)
    assert [(r.id, r.seats_left, r.waitlist_length) for r in runs] == [(run.pk, 0, 1)]

    # 4. Changes, then an updated_since pass that returns only what changed.
    time.sleep(0.01)
    since = timezone.now()
    time.sleep(0.01)
    same = _api("businesses_update").sync_detailed(
        "4711",
        client=client,
        body=models.BusinessInputRequest(name="Tischlerei Schröder", city="Stade"),
    )
    assert same.status_code == 200  # unchanged data: no write, so not in the next pass
    _api("businesses_update").sync(
        "4712",
        client=client,
        body=models.BusinessInputRequest(name="Elektro Kaya", city="Buxtehude"),
    )
    assert [
        b.member_number for b in _all_pages(_api("businesses_list"), client, updated_since=since)
    ] == ["4712"]
    assert _all_pages(_api("trainees_list"), client, updated_since=since) == []
    cancelled = _api("enrolments_cancel_create").sync(
        booked[0].id, client=client, body=models.CancelInputRequest(reason="krank")
    )
    assert str(cancelled.status) == "cancelled"
    changed = {
        e.id: str(e.status)
        for e in _all_pages(_api("enrolments_list"), client, updated_since=since)
    }
    assert changed == {booked[0].id: "cancelled", booked[1].id: "confirmed"}  # promoted

    # 5. A certificate, its PDF fetched through the client.
    Enrolment.objects.filter(pk=booked[1].id).update(
        status=Enrolment.Status.COMPLETED, completed_at=timezone.now() - dt.timedelta(minutes=1)
    )
    issue_certificate(enrolment=Enrolment.objects.get(pk=booked[1].id), actor=None)
    certificates = _all_pages(_api("certificates_list"), client, updated_since=since)
    assert len(certificates) == 1
    pdf = _api("certificates_pdf_retrieve").sync_detailed(certificates[0].id, client=client)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
