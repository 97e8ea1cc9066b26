"""The staff run page links every area of its run (completion, certificates, exports, ÜLU
report, attendance), and the links lead to pages the coordinator can open."""

import pytest
from django.urls import reverse

from courses.services import planning
from tests.courses.planning_fixtures import make_plan
from tests.timeutils import day_at

pytestmark = pytest.mark.django_db


def _area_urls(run, session):
    return [
        reverse("courses:run_completion", args=[run.pk]),
        reverse("certificates:run", args=[run.pk]),
        reverse("courses:export_participants_csv", args=[run.pk]),
        reverse("courses:export_participants_xlsx", args=[run.pk]),
        reverse("courses:uelu_csv", args=[run.pk]),
        reverse("courses:uelu_xlsx", args=[run.pk]),
        reverse("courses:staff_attendance", args=[session.pk]),
    ]


def test_coordinator_reaches_every_area_of_the_run_from_the_run_page(client):
    plan = make_plan(units=0)
    session = planning.add_session(
        run=plan.run, start=day_at(30, 8), end=day_at(30, 12), actor=None
    )
    client.force_login(plan.coordinator)
    page = client.get(reverse("courses:staff_run_detail", args=[plan.run.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for url in _area_urls(plan.run, session):
        assert f'href="{url}"' in html, url
        # every link works for the one who sees it
        assert client.get(url).status_code == 200, url
    assert f"/staff/completion/runs/{plan.run.pk}/" in html
    assert f"/staff/certificates/runs/{plan.run.pk}/" in html
    assert f"/staff/reports/runs/{plan.run.pk}/uelu.csv" in html


def test_completion_review_links_the_certificates_page_and_back(client):
    plan = make_plan(units=0)
    client.force_login(plan.coordinator)
    html = client.get(reverse("courses:run_completion", args=[plan.run.pk])).content.decode()
    assert f'href="{reverse("certificates:run", args=[plan.run.pk])}"' in html
    assert f'href="{reverse("courses:staff_run_detail", args=[plan.run.pk])}"' in html


def test_certificate_links_hidden_without_the_permission(client, monkeypatch):
    """A user who may manage the run but not issue certificates (perms can diverge) does
    not get a link that would end in 403."""
    import rules

    plan = make_plan(units=0)
    client.force_login(plan.coordinator)
    monkeypatch.setitem(
        rules.permissions.permissions, "certificates.issue_certificate", rules.always_deny
    )
    certificates_url = reverse("certificates:run", args=[plan.run.pk])
    run_page = client.get(reverse("courses:staff_run_detail", args=[plan.run.pk]))
    assert certificates_url not in run_page.content.decode()
    review = client.get(reverse("courses:run_completion", args=[plan.run.pk]))
    assert certificates_url not in review.content.decode()
    # and the page itself is refused, so the hidden link was right to be hidden
    assert client.get(certificates_url).status_code == 403
