"""The Django admin for the district: every model of the five apps is registered, its list,
add and change pages answer for the superuser with the demo data loaded, a list runs a fixed
number of queries, and API keys never show their hash."""

import hashlib
import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import ApiKey
from people.models import Chamber, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

APPS = ("people", "workshops", "courses", "certificates", "api")
MAX_LIST_QUERIES = 15  # a page of 100 rows that queried per row would need far more


def test_every_model_is_registered():
    missing = [
        model._meta.label
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if model not in admin.site._registry
    ]
    assert missing == []


@pytest.fixture
def admin_client(client):
    call_command("seed_demo", stdout=StringIO())
    client.force_login(User.objects.get(email="admin@demo.example"))
    return client


def test_every_admin_page_answers_with_few_queries(admin_client):
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in APPS:
            continue
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        with CaptureQueriesContext(connection) as ctx:
            response = admin_client.get(base)
        assert response.status_code == 200, base
        assert len(ctx) <= MAX_LIST_QUERIES, (base, len(ctx))
        search = admin_client.get(base, {"q": "Müller"}) if model_admin.search_fields else None
        assert search is None or search.status_code == 200, base
        obj = model.objects.order_by("pk").first()
        if obj is not None:
            assert admin_client.get(f"{base}{obj.pk}/change/").status_code == 200, base
        expected_add = 200 if model_admin.has_add_permission(_request(admin_client)) else 403
        assert admin_client.get(f"{base}add/").status_code == expected_add, base


def _request(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=client.session["_auth_user_id"])
    return request


def test_run_page_shows_sessions_and_enrolments_inline(admin_client):
    from courses.models import CourseRun

    run = CourseRun.objects.filter(status="published", enrolments__isnull=False).first()
    page = admin_client.get(f"/admin/courses/courserun/{run.pk}/change/").content.decode()
    assert 'id="sessions-group"' in page
    assert 'id="enrolments-group"' in page


def test_user_admin_uses_the_email_and_no_username(admin_client):
    page = admin_client.get("/admin/people/user/add/").content.decode()
    assert 'name="email"' in page and 'name="username"' not in page
    response = admin_client.post(
        "/admin/people/user/add/",
        {
            "email": "neu@example.org",
            "usable_password": "true",
            "password1": "Werkbank-2026!",
            "password2": "Werkbank-2026!",
            "_save": "Sichern",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="neu@example.org").check_password("Werkbank-2026!")


def test_api_key_plaintext_is_shown_once_and_the_hash_never(client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    chamber = Chamber.objects.create(name="Handwerkskammer Heideland", code="HWK-HL", kind="hwk")
    response = client.post(
        "/admin/api/apikey/add/",
        {
            "chamber": chamber.pk,
            "name": "Kammer-Sync",
            "scopes": ["courses:read", "enrolments:read"],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    plaintext = re.search(r'id="api-key-plaintext"[^>]*value="([^"]+)"', page).group(1)
    key = ApiKey.objects.get(name="Kammer-Sync")
    assert plaintext.startswith(key.prefix)
    assert key.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert key.key_hash not in page
    assert "no-store" in response["Cache-Control"]

    for url in ("/admin/api/apikey/", f"/admin/api/apikey/{key.pk}/change/"):
        later = client.get(url).content.decode()
        assert plaintext not in later and key.key_hash not in later
        assert key.prefix in later


def test_api_keys_are_revoked_by_an_action(client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    from api.services import create_api_key

    chamber = Chamber.objects.create(name="IHK Heideland", code="IHK-HL", kind="ihk")
    key, _ = create_api_key(chamber=chamber, name="alt", scopes=["courses:read"])
    client.post("/admin/api/apikey/", {"action": "revoke", "_selected_action": [key.pk]})
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_only_staff_enter_the_admin(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_api_key_name_and_expiry_stay_editable(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    from api.services import create_api_key

    chamber = Chamber.objects.create(name="IHK Heideland", code="IHK-HL", kind="ihk")
    key, _ = create_api_key(chamber=chamber, name="alt", scopes=["courses:read"])
    response = client.post(
        f"/admin/api/apikey/{key.pk}/change/",
        {"name": "Kammer-Sync 2027", "expires_at_0": "31.12.2027", "expires_at_1": "23:59:00"},
    )
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.name == "Kammer-Sync 2027"
    assert key.expires_at.year == 2027
    assert key.scopes == ["courses:read"]  # unchanged: scopes are fixed once issued


def test_no_add_page_leaves_a_required_relation_unset(rf):
    """An add page whose form cannot set a required relation (read-only or excluded) would
    answer every save with a database error: such records are made elsewhere, the admin only
    reads them."""
    request = rf.get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    unsettable = {}
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_add_permission(request):
            continue
        hidden = set(model_admin.get_readonly_fields(request)) | set(
            model_admin.get_exclude(request) or ()
        )
        missing = [
            field.name
            for field in model._meta.concrete_fields
            if field.is_relation and not field.null and field.name in hidden
        ]
        if missing:
            unsettable[model._meta.label] = missing
    assert unsettable == {}
