"""API keys: created by command with the plaintext shown once, their last use recorded."""

import io

import pytest
from django.core.management import call_command

from api.models import ApiKey

pytestmark = pytest.mark.django_db


def test_create_api_key_command_prints_the_key_last(chamber):
    out = io.StringIO()
    call_command(
        "create_api_key",
        "--chamber",
        chamber.code,
        "--scopes",
        "courses:read,enrolments:read",
        "--expires-days",
        "30",
        stdout=out,
    )
    plaintext = out.getvalue().strip().splitlines()[-1]
    key = ApiKey.objects.get(chamber=chamber)
    assert plaintext.startswith(key.prefix + ".")
    assert plaintext not in key.key_hash and key.key_hash != plaintext
    assert key.scopes == ["courses:read", "enrolments:read"]
    assert key.expires_at is not None
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert client.get("/api/v1/courses/").status_code == 200
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command(
            "create_api_key", "--chamber", chamber.code, "--scopes", "everything", stdout=out
        )


def test_last_use_is_recorded(api, chamber):
    assert api.get("/api/v1/courses/").status_code == 200
    assert ApiKey.objects.get(chamber=chamber).last_used_at is not None
