"""A second factor for staff roles when MFA_REQUIRED_FOR_STAFF is on: staff without one are sent
to set it up before any page behind a login; after activating an authenticator app (the code
computed by pyotp, an independent TOTP implementation) the staff pages open. Everyone else is
offered it and not forced."""

import re

import pyotp
import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from config.oidc import providers_from_env
from tests.factories import PASSWORD, business_contact, coordinator, district_admin, trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True


def _signed_in(user) -> Client:
    """Signed in through the login form, as a person is (allauth's setup pages ask for a recent
    sign-in, which force_login does not record)."""
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client = Client()
    answer = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert answer.status_code == 302, answer.content
    return client


def test_staff_without_a_second_factor_are_sent_to_set_one_up_then_get_in(required):
    user = coordinator()
    client = _signed_in(user)

    for page in ("/staff/", "/staff/runs/", "/my/", "/admin/"):
        answer = client.get(page)
        assert answer.status_code == 302, page
        assert answer["Location"] == reverse("mfa_index"), page
    setup = client.get(reverse("mfa_index"), follow=False)
    assert setup.status_code == 200
    assert "Ihre Rolle erfordert einen zweiten Faktor" in setup.content.decode()

    # Setting up a factor asks for the password once more (allauth's reauthentication).
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 302 and activate["Location"].startswith(
        reverse("account_reauthenticate")
    )
    client.post(activate["Location"], {"password": PASSWORD})
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 200
    secret = re.search(
        r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', activate.content.decode()
    )
    secret = secret or re.search(r'value="([A-Z2-7]{16,})"', activate.content.decode())
    assert secret, "the activation page shows no secret"
    answer = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret.group(1)).now()})
    assert answer.status_code == 302

    staff_page = client.get("/staff/")
    assert staff_page.status_code == 200
    assert "Planungsbereich" in staff_page.content.decode()


@pytest.mark.parametrize("make", [district_admin, coordinator])
def test_every_staff_role_is_held_to_it(required, make):
    client = Client()
    client.force_login(make())
    assert client.get("/staff/")["Location"] == reverse("mfa_index")


def test_a_wrong_code_activates_nothing(required):
    client = _signed_in(coordinator())
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    answer = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert answer.status_code == 200  # the form again, with its error
    assert client.get("/staff/")["Location"] == reverse("mfa_index")


@pytest.mark.parametrize("make", [trainee, business_contact])
def test_others_are_offered_a_second_factor_but_not_forced(required, make):
    client = _signed_in(make())
    assert client.get("/my/").status_code == 200
    offer = client.get(reverse("mfa_index"))
    assert offer.status_code == 200
    assert reverse("mfa_activate_totp") in offer.content.decode()


def test_public_pages_and_sign_out_stay_open_for_staff_without_it(required):
    client = Client()
    client.force_login(coordinator())
    assert client.get("/").status_code == 200
    answer = client.post(reverse("account_logout"))
    assert answer.status_code == 302
    assert client.get("/staff/")["Location"].startswith(reverse("account_login"))


def test_off_when_the_setting_says_so(settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    client = Client()
    client.force_login(coordinator())
    assert client.get("/staff/").status_code == 200


def test_the_setup_pages_are_in_the_site_layout_in_german_and_english():
    client = _signed_in(trainee())
    german = client.get(reverse("mfa_index")).content.decode()
    assert '<html lang="de"' in german and "Zwei-Faktor-Authentifizierung" in german
    assert 'class="site-header"' in german and "Zweiter Faktor" in german
    someone = trainee()
    someone.language = "en"  # the saved language of the account decides
    someone.save(update_fields=["language"])
    english = _signed_in(someone).get(reverse("mfa_index")).content.decode()
    assert '<html lang="en"' in english and "Two-Factor Authentication" in english
    assert "Second factor" in english


def test_security_keys_and_recovery_codes_are_offered_on_the_setup_pages():
    client = _signed_in(coordinator())
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    add_key = client.get(reverse("mfa_add_webauthn"))
    assert add_key.status_code == 200
    assert "Sicherheitsschlüssel" in add_key.content.decode()
    offer = client.get(reverse("mfa_index")).content.decode()
    assert reverse("mfa_add_webauthn") in offer
    assert "Wiederherstellungscodes" in offer


def test_the_identity_provider_page_is_in_the_site_layout(settings):
    settings.SOCIALACCOUNT_PROVIDERS = providers_from_env(
        '[{"id": "kreis", "name": "Kreis-Login", "server_url": "https://idp.example",'
        ' "client_id": "c"}]'
    )
    page = _signed_in(coordinator()).get(reverse("socialaccount_connections"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="site-header"' in html and "Identitätsanbieter" in html
    assert "Kreis-Login" in html
