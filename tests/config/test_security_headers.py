"""Content-Security-Policy and Permissions-Policy are on every response (pages, htmx fragments,
API, errors, file downloads) and forbid inline script and style; no template carries an inline
<script>, an on* handler or a style attribute that the policy would block."""

import re

import pytest
from django.urls import reverse

from tests.courses.planning_fixtures import make_plan
from tests.factories import district_admin, trainee
from tests.house.tree import ROOT

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def _assert_headers(response):
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"], "no inline script, no eval, no CDN"
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


def test_every_kind_of_response_carries_both_policies(client):
    plan = make_plan(units=1)
    anonymous = [
        "/",
        "/accounts/login/",
        "/api/v1/runs/",
        "/api/v1/no-such-thing/",
        "/no-such-page/",
        "/healthz",
    ]
    for path in anonymous:
        response = client.get(path)
        _assert_headers(response)
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], path
    client.force_login(plan.coordinator)
    for path in (
        "/staff/",
        reverse("courses:staff_run_detail", args=[plan.run.pk]),
        reverse("workshops:equipment_detail", args=[plan.printers[0].pk]),
        reverse("courses:export_participants_csv", args=[plan.run.pk]),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_headers(response)
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], path
    client.force_login(district_admin())
    _assert_headers(client.get("/staff/statistics/"))
    client.force_login(trainee())
    _assert_headers(client.get("/my/"))


def test_only_the_api_documentation_viewers_may_style_inline(client):
    for path in ("/api/v1/docs/", "/api/v1/redoc/"):
        response = client.get(path)
        assert response.status_code == 200
        policy = _policy(response)
        assert policy["script-src"] == ["'self'"]
        assert "'unsafe-inline'" in policy["style-src"]
        body = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), "inline script on " + path
        assert "googleapis" not in body


INLINE = re.compile(
    r"<script(?![^>]*\b(src|type=\"application/json\")=?)[^>]*>|\son[a-z]+=\"|\sstyle=\"|<style",
    re.I,
)


def test_no_template_has_inline_script_handlers_or_style():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert offenders == [], "\n".join(offenders)


def test_the_policy_built_once_is_django_csps_and_a_request_with_a_nonce_gets_its_own(client, rf):
    from csp.utils import build_policy
    from django.http import HttpResponse

    from config.middleware import ContentSecurityPolicyMiddleware

    assert client.get("/").headers["Content-Security-Policy"] == build_policy()

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}" src="/x.js"></script>')

    middleware = ContentSecurityPolicyMiddleware(view)
    request = rf.get("/")
    response = middleware(request)
    assert response["Content-Security-Policy"] == build_policy(nonce=str(request.csp_nonce))
