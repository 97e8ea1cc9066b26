"""The second factor is required for staff in production unless switched off, and not on a laptop
(DEBUG); OIDC_PROVIDERS becomes allauth's provider settings with PKCE
(tests/signin/test_oidc_login.py signs in through such a configuration)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import django, json\ndjango.setup()\nfrom django.conf import settings\n"
    "oidc = settings.SOCIALACCOUNT_PROVIDERS.get('openid_connect', {})\n"
    "print(json.dumps({'mfa': settings.MFA_REQUIRED_FOR_STAFF,"
    " 'types': settings.MFA_SUPPORTED_TYPES,"
    " 'insecure_origin': settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN,"
    " 'apps': [[a['provider_id'], a['name']] for a in oidc.get('APPS', [])],"
    " 'pkce': oidc.get('OAUTH_PKCE_ENABLED')}))"
)


def _settings(tmp_path, **env) -> dict:
    environ = {k: v for k, v in os.environ.items() if k not in {"TESTING", "DEBUG"}}
    environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="lernwerkstatt.example.de",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        **env,
    )
    result = subprocess.run(  # noqa: S603 - the test's own code, no outside input
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("env", "required"),
    [({}, True), ({"MFA_REQUIRED_FOR_STAFF": "0"}, False), ({"DEBUG": "1"}, False)],
)
def test_second_factor_for_staff_by_default_in_production(tmp_path, env, required):
    assert _settings(tmp_path, **env)["mfa"] is required


def test_configured_providers_reach_allauth(tmp_path):
    providers = [
        {
            "id": "kreis",
            "name": "Kreis-Login",
            "server_url": "https://idp.example",
            "client_id": "a",
        },
        {"id": "schule", "server_url": "https://idp2.example/realms/x", "client_id": "b"},
    ]
    out = _settings(tmp_path, OIDC_PROVIDERS=json.dumps(providers))
    assert out["apps"] == [["kreis", "Kreis-Login"], ["schule", "schule"]]
    assert out["pkce"] is True


@pytest.mark.parametrize(("env", "insecure"), [({}, False), ({"DEBUG": "1"}, True)])
def test_security_keys_are_offered_and_plain_http_only_on_a_laptop(tmp_path, env, insecure):
    """WebAuthn is on everywhere; its origin check is relaxed only for the development server
    and the browser tests (http://localhost, DEBUG), never in production."""
    out = _settings(tmp_path, **env)
    assert "webauthn" in out["types"] and "totp" in out["types"]
    assert out["insecure_origin"] is insecure
