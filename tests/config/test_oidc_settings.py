"""OIDC_PROVIDERS: one JSON list, several providers, and every mistake stops the start naming the
provider and the field (rather than a login button that fails when someone presses it)."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.oidc import providers_from_env


def test_several_providers_become_allauth_apps_with_pkce():
    raw = json.dumps(
        [
            {
                "id": "kreis",
                "name": "Kreis-Login",
                "server_url": "https://login.kreis.example/realms/schulen/",
                "client_id": "lw",
                "secret": "s",
            },
            {
                "id": "entra",
                "server_url": "https://login.microsoftonline.com/tenant/v2.0",
                "client_id": "abc",
                "secret": "t",
                "trust_email": True,
                "token_auth_method": "client_secret_post",
            },
        ]
    )
    config = providers_from_env(raw)["openid_connect"]
    assert config["OAUTH_PKCE_ENABLED"] is True
    kreis, entra = config["APPS"]
    assert kreis == {
        "provider_id": "kreis",
        "name": "Kreis-Login",
        "client_id": "lw",
        "secret": "s",
        "settings": {
            "server_url": "https://login.kreis.example/realms/schulen",
            "trust_email": False,
        },
    }
    assert entra["name"] == "entra"
    assert entra["settings"]["trust_email"] is True
    assert entra["settings"]["token_auth_method"] == "client_secret_post"


def test_none_configured():
    assert providers_from_env("") == {}
    assert providers_from_env("  ") == {}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"id": "x"}', "JSON list"),
        ('[{"server_url": "https://a.example", "client_id": "c"}]', "'id'"),
        ('[{"id": "k", "client_id": "c"}]', "'server_url'"),
        ('[{"id": "k", "server_url": "https://a.example"}]', "'client_id'"),
        ('[{"id": "Kreis Login", "server_url": "https://a.example", "client_id": "c"}]', "id"),
        ('[{"id": "k", "server_url": "http://idp.example", "client_id": "c"}]', "https://"),
        (
            '[{"id": "k", "server_url": "https://a.example", "client_id": "c",'
            ' "token_auth_method": "none"}]',
            "token_auth_method",
        ),
        (
            '[{"id": "k", "server_url": "https://a", "client_id": "c"},'
            ' {"id": "k", "server_url": "https://b", "client_id": "d"}]',
            "used twice",
        ),
    ],
)
def test_mistakes_stop_the_start_naming_the_field(raw, message):
    with pytest.raises(ImproperlyConfigured, match="OIDC_PROVIDERS") as error:
        providers_from_env(raw)
    assert message in str(error.value)


def test_plain_http_only_on_this_machine():
    raw = '[{"id": "k", "server_url": "http://127.0.0.1:9000/o", "client_id": "c"}]'
    assert providers_from_env(raw)["openid_connect"]["APPS"][0]["settings"]["server_url"] == (
        "http://127.0.0.1:9000/o"
    )
