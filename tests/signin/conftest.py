"""A real OpenID Connect provider (tests/signin/oidc_provider, django-oauth-toolkit) in its own
process on a free port of 127.0.0.1, and our login through it, driven over HTTP like a browser."""

import json
import re
from pathlib import Path

import pytest
import requests

from config.oidc import providers_from_env

from .oidc_provider.process import running_provider

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_ID = "kreis"
CLIENT_ID = "lernwerkstatt"
CLIENT_SECRET = "client-secret-of-the-test-provider"
IDP_PASSWORD = "idp-password"
# The people who have an account at the district's provider (not necessarily with us).
IDP_USERS = [
    {"email": "koordination@kreis.example", "first_name": "Kim", "last_name": "Koordination"},
    {"email": "admin@kreis.example", "first_name": "Ada", "last_name": "Admin"},
    {"email": "azubi@kreis.example", "first_name": "Alex", "last_name": "Azubi"},
    {"email": "fremd@kreis.example", "first_name": "Fritz", "last_name": "Fremd"},
    {"email": "unbestaetigt@kreis.example", "email_verified": False},
]


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """The provider's base URL and its request log; its only client is our live server's
    callback."""
    with running_provider(
        users=[{**person, "password": IDP_PASSWORD} for person in IDP_USERS],
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uri=f"{live_server.url}/accounts/oidc/{PROVIDER_ID}/login/callback/",
        workdir=tmp_path_factory.mktemp("idp"),
    ) as provider:
        yield provider


@pytest.fixture
def with_provider(settings, oidc_provider):
    """Our settings as OIDC_PROVIDERS would make them, pointing at the running provider."""
    settings.SOCIALACCOUNT_PROVIDERS = providers_from_env(
        json.dumps(
            [
                {
                    "id": PROVIDER_ID,
                    "name": "Kreis-Login",
                    "server_url": f"{oidc_provider.url}/o",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                }
            ]
        )
    )
    return oidc_provider


def sign_in_through_provider(
    base_url: str, email: str, browser: requests.Session | None = None
) -> tuple[requests.Response, requests.Session]:
    """What a browser does: open our login page, press the provider's button, sign in at the
    provider (unless this browser still is), and follow every redirect back. Returns our last
    answer and the browser with its cookies."""
    browser = browser or requests.Session()
    login_page = browser.get(f"{base_url}/accounts/login/", timeout=10)
    assert "Anmelden über Kreis-Login" in login_page.text
    action = re.search(r'<form method="post" action="([^"]*/oidc/[^"]*)"', login_page.text)
    assert action, "the login page offers no provider button"
    at_provider = browser.post(
        base_url + action.group(1).replace("&amp;", "&"),
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        timeout=10,
    )
    if "/login/" in at_provider.url and "IdP login" in at_provider.text:
        # Not yet signed in at the provider: its own login form, then back through authorize.
        answer = browser.post(
            at_provider.url,
            data={
                "username": email,
                "password": IDP_PASSWORD,
                "next": re.search(r'name="next" value="([^"]*)"', at_provider.text)
                .group(1)
                .replace("&amp;", "&"),
            },
            timeout=30,
        )
        return answer, browser
    return at_provider, browser
