"""Single sign-on through a real OpenID Connect provider process (django-oauth-toolkit on
127.0.0.1, see conftest.py): discovery, the authorisation code flow with PKCE, the token exchange,
userinfo, and our account signed in with its own roles, but only after a district admin confirmed
the first link. Attacks: a provider claiming someone's address (unverified, no account, a trainee's
account) gets nobody signed in and no account made."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from people.models import User
from signin import services
from signin.models import SignInLink
from tests.factories import SchoolFactory, coordinator, district_admin, trainee

from .conftest import sign_in_through_provider

pytestmark = pytest.mark.django_db(transaction=True)


def _coordinator(email: str) -> User:
    user = coordinator(SchoolFactory())
    user.email = email
    user.save(update_fields=["email"])
    return user


def test_first_sign_in_waits_for_the_district_admin_then_signs_in_with_our_roles(
    live_server, with_provider, mailoutbox
):
    staff = _coordinator("Koordination@Kreis.example")  # the address matches in any case
    admin = district_admin(staff.memberships.get().school.district)

    answer, browser = sign_in_through_provider(live_server.url, "koordination@kreis.example")

    assert answer.status_code == 200
    assert "Anmeldung wartet auf Bestätigung" in answer.text
    link = SignInLink.objects.get()
    assert (link.user, link.provider, link.status) == (staff, "kreis", SignInLink.Status.PENDING)
    assert link.name == "Kim Koordination"
    assert not SocialAccount.objects.exists()
    assert [message.to for message in mailoutbox] == [[admin.email]]  # the admin is told
    # Not signed in: the staff area still asks for a login.
    staff_page = browser.get(f"{live_server.url}/staff/", allow_redirects=False, timeout=10)
    assert staff_page.status_code == 302 and "/accounts/login/" in staff_page.headers["Location"]

    # The district admin confirms it on the staff page.
    client = Client()
    client.force_login(admin)
    listing = client.get(reverse("signin:link_list"))
    assert "koordination@kreis.example" in listing.content.decode().lower()
    client.post(reverse("signin:link_decide", args=[link.pk]), {"decision": "approve"})
    link.refresh_from_db()
    assert link.status == SignInLink.Status.APPROVED and link.decided_by == admin

    # The next sign-in (the browser is still signed in at the provider) lands in our account.
    answer, browser = sign_in_through_provider(live_server.url, "", browser)
    assert answer.status_code == 200
    assert answer.url == f"{live_server.url}/staff/"  # a coordinator lands on the staff start page
    staff_page = browser.get(f"{live_server.url}/staff/", timeout=10)
    assert staff_page.status_code == 200
    assert staff_page.url == f"{live_server.url}/staff/"
    assert "Planungsbereich" in staff_page.text  # the staff navigation: our roles, not theirs
    account = SocialAccount.objects.get()
    assert account.user == staff and account.extra_data["userinfo"]["email_verified"] is True
    # Every step of the flow reached the provider process: discovery, the authorisation request
    # with PKCE, the token exchange and userinfo (the last two from our server, not the browser).
    requests_seen = with_provider.log.read_text()
    for step in (
        '"GET /o/.well-known/openid-configuration',
        '"GET /o/authorize/?',
        "code_challenge_method=S256",
        '"POST /o/token/',
        '"GET /o/userinfo/',
    ):
        assert step in requests_seen, step


def test_an_address_the_provider_has_not_verified_signs_nobody_in(live_server, with_provider):
    _coordinator("unbestaetigt@kreis.example")

    answer, browser = sign_in_through_provider(live_server.url, "unbestaetigt@kreis.example")

    assert answer.status_code == 403
    assert "Kein passendes Konto" in answer.text
    assert not SignInLink.objects.exists() and not SocialAccount.objects.exists()
    staff_page = browser.get(f"{live_server.url}/staff/", allow_redirects=False, timeout=10)
    assert staff_page.status_code == 302


def test_a_provider_account_without_one_of_ours_creates_no_account(live_server, with_provider):
    before = User.objects.count()

    answer, _ = sign_in_through_provider(live_server.url, "fremd@kreis.example")

    assert answer.status_code == 403
    assert "Kein passendes Konto" in answer.text
    assert User.objects.count() == before
    assert not User.objects.filter(email__iexact="fremd@kreis.example").exists()


def test_a_trainee_is_sent_to_the_password_login(live_server, with_provider):
    person = trainee()
    person.email = "azubi@kreis.example"
    person.save(update_fields=["email"])

    answer, _ = sign_in_through_provider(live_server.url, "azubi@kreis.example")

    assert answer.status_code == 403
    assert "Nur für Mitarbeitende" in answer.text
    assert not SignInLink.objects.exists()


def test_a_refused_link_keeps_the_person_out(live_server, with_provider):
    staff = _coordinator("admin@kreis.example")
    admin = district_admin(staff.memberships.get().school.district)
    sign_in_through_provider(live_server.url, "admin@kreis.example")
    client = Client()
    client.force_login(admin)
    client.post(
        reverse("signin:link_decide", args=[SignInLink.objects.get().pk]), {"decision": "refuse"}
    )

    answer, browser = sign_in_through_provider(live_server.url, "admin@kreis.example")

    assert answer.status_code == 403
    assert "Anmeldung nicht möglich" in answer.text
    assert not SocialAccount.objects.exists()
    assert (
        browser.get(f"{live_server.url}/my/", allow_redirects=False, timeout=10).status_code == 302
    )


def test_a_confirmed_staff_member_with_a_second_factor_is_asked_for_it_after_the_provider(
    live_server, with_provider, settings
):
    settings.MFA_REQUIRED_FOR_STAFF = True
    staff = _coordinator("koordination@kreis.example")
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    _, browser = sign_in_through_provider(live_server.url, "koordination@kreis.example")
    services.approve_link(
        link=SignInLink.objects.get(), actor=district_admin(staff.memberships.get().school.district)
    )

    answer, browser = sign_in_through_provider(live_server.url, "", browser)

    # The provider's word is one factor: our second one is still asked for.
    assert answer.url == f"{live_server.url}{reverse('mfa_authenticate')}"
    staff_page = browser.get(f"{live_server.url}/staff/", allow_redirects=False, timeout=10)
    assert staff_page.status_code == 302
    answer = browser.post(
        answer.url,
        data={
            "code": pyotp.TOTP(secret).now(),
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        headers={"Referer": answer.url},
        timeout=10,
    )
    assert answer.status_code == 200
    staff_page = browser.get(f"{live_server.url}/staff/", timeout=10)
    assert staff_page.url == f"{live_server.url}/staff/" and "Planungsbereich" in staff_page.text
