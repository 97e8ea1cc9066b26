"""allauth's own pages keep our input rules: a name or address with a line break, a NUL or 10,000
characters is refused with a field error and nothing is stored; a new password is one line of at
most 256 characters; the e-mail address changes only after the password was typed again and the
new address was confirmed, and the old address is told."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from core.services.outbox import deliver_due_emails
from people.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Bitte ohne Zeilenumbrüche und Steuerzeichen eingeben."
NEW_PASSWORD = "Werkbank-2026!"
HOSTILE_NAMES = {
    "newline": "Lena\nBcc: x@example.org",
    "carriage return": "Lena\r\nSubject: Gewonnen",
    "tab": "Lena\tWeiß",
    "line separator": "Lena\u2028Weiß",
    "10,000 characters": "L" * 10_000,
}


def _signup(client, **overrides):
    data = {
        "email": "lena@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "first_name": "Lena",
        "last_name": "Weiß",
        "kind": "apprentice",
    }
    data.update(overrides)
    return client.post("/accounts/signup/", data)


@pytest.mark.parametrize("name", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_signup_refuses_a_hostile_name_and_stores_nothing(client, field, name):
    response = _signup(client, **{field: name})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    assert MESSAGE in page or "höchstens 150 Zeichen" in page
    assert not User.objects.filter(email="lena@example.org").exists()
    assert _sent() == []


def test_a_nul_in_a_name_is_refused_before_any_form_sees_it(client):
    response = _signup(client, first_name="Lena\x00")
    assert response.status_code == 400
    assert not User.objects.filter(email="lena@example.org").exists()


def test_the_signup_form_itself_refuses_a_nul():
    from people.account_forms import SignupForm

    form = SignupForm(
        data={
            "email": "lena@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "first_name": "Le\x00na",
            "last_name": "Weiß",
            "kind": "apprentice",
        }
    )
    assert not form.is_valid()
    assert MESSAGE in form.errors["first_name"]


def test_signup_refuses_an_address_longer_than_the_column(client):
    address = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".de"  # 310 characters, well formed
    response = _signup(client, email=address)
    assert response.status_code == 200
    assert "höchstens 254 Zeichen" in response.content.decode()
    assert User.objects.count() == 0


@pytest.mark.parametrize("password", ["Werkbank\n2026!", "W" * 257 + "2026!"])
def test_signup_refuses_a_password_with_a_line_break_or_beyond_256_characters(client, password):
    response = _signup(client, password1=password, password2=password)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not User.objects.exists()


def test_login_refuses_a_password_of_a_megabyte_without_hashing_it(client):
    user = _member()
    response = client.post("/accounts/login/", {"login": user.email, "password": "x" * 100_000})
    assert response.status_code == 200
    assert "höchstens 256 Zeichen" in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- the e-mail address ----------------------------------------------------------------------


def _sent() -> list:
    """allauth's e-mails go through the outbox: what has been delivered once it is swept (after
    the grace period in which the request's own hand-off would have sent it)."""
    deliver_due_emails(now=timezone.now() + dt.timedelta(hours=1))
    return mail.outbox


def _member(email="lena@example.org") -> User:
    user = UserFactory(email=email, first_name="Lena", last_name="Weiß")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _signed_in_with_password(user) -> Client:
    """A browser that signed in and then typed the password again just now (allauth asks for it
    before the address or a factor changes, and counts only that, not the sign-in)."""
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    mail.outbox.clear()
    return client


def test_changing_the_address_in_a_session_without_a_fresh_password_asks_for_it_first():
    """Someone at a workstation left signed in must not move the account to their address (and
    then reset the password there)."""
    user = _member()
    client = Client()
    client.force_login(user)  # a session, but no recent sign-in with the password
    response = client.post("/accounts/email/", {"action_add": "", "email": "angreifer@example.org"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not EmailAddress.objects.filter(email="angreifer@example.org").exists()
    assert _sent() == []
    user.refresh_from_db()
    assert user.email == "lena@example.org"

    wrong = client.post(response["Location"], {"password": "falsch"})
    assert wrong.status_code == 200
    assert not EmailAddress.objects.filter(email="angreifer@example.org").exists()

    # The owner, typing the password, carries on where the request stopped: the new address is
    # sent a link, and still counts for nothing until it is opened.
    resumed = client.post(response["Location"], {"password": PASSWORD})
    assert resumed.status_code == 302
    assert [m.to for m in _sent()] == [["angreifer@example.org"]]
    user.refresh_from_db()
    assert user.email == "lena@example.org"


def test_a_new_address_counts_only_once_confirmed_and_the_old_one_is_told():
    user = _member()
    client = _signed_in_with_password(user)
    response = client.post("/accounts/email/", {"action_add": "", "email": "lena.neu@example.org"})
    assert response.status_code == 302

    # Until the new address is confirmed, the account is reached at the old one only.
    user.refresh_from_db()
    assert user.email == "lena@example.org"
    [confirmation] = _sent()
    assert confirmation.to == ["lena.neu@example.org"]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", confirmation.body)
    mail.outbox.clear()

    assert client.post(link.group(1)).status_code == 302
    user.refresh_from_db()
    assert user.email == "lena.neu@example.org"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        "lena.neu@example.org"
    ]
    notices = [m for m in _sent() if m.to == ["lena@example.org"]]
    assert len(notices) == 1, [(m.to, m.subject) for m in _sent()]
    assert "lena.neu@example.org" in notices[0].body


@pytest.mark.parametrize(
    "address", ["lena\n@example.org", "lena@example.org\r\nBcc: x@example.org", "a" * 300 + "@x.de"]
)
def test_adding_a_hostile_address_is_a_field_error(address):
    user = _member()
    client = _signed_in_with_password(user)
    response = client.post("/accounts/email/", {"action_add": "", "email": address})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode() or "errorlist" in (
        response.content.decode()
    )
    assert EmailAddress.objects.filter(user=user).count() == 1
    assert _sent() == []


# --- passwords -------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["Werkbank\r\n2026!", "Werk\x1bbank-2026", "W" * 300])
def test_changing_the_password_refuses_control_characters_and_length(password):
    user = _member()
    client = _signed_in_with_password(user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": password, "password2": password},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_changed_password_is_reported_to_the_account_address():
    user = _member()
    client = _signed_in_with_password(user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert [m.to for m in _sent()] == [["lena@example.org"]]


def test_setting_a_first_password_refuses_a_line_break():
    """Someone who signs in only through the district's provider has no password yet."""
    user = _member()
    user.set_unusable_password()
    user.save()
    client = Client()
    client.force_login(user)
    response = client.post(
        "/accounts/password/set/", {"password1": "Werk\nbank-2026", "password2": "Werk\nbank-2026"}
    )
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert response.status_code in (200, 302)


def test_a_reset_password_must_be_one_line_of_at_most_256_characters(client):
    user = _member()
    client.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", _sent()[0].body)
    form_page = client.get(link.group(1), follow=True)
    url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    long = "W" * 300
    response = client.post(url, {"password1": long, "password2": long})
    assert response.status_code == 200
    assert "256" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# --- second factor ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Schlüssel\nBcc: x", "S" * 101])
@pytest.mark.parametrize("form", ["AddWebAuthnForm", "EditWebAuthnForm"])
def test_a_security_key_name_is_one_short_line(form, name):
    from people import account_forms

    with pytest.raises(ValidationError):
        getattr(account_forms, form).base_fields["name"].clean(name)


@pytest.mark.parametrize("code", ["123\n456", "1" * 65])
@pytest.mark.parametrize("form", ["ActivateTOTPForm", "MfaAuthenticateForm"])
def test_an_authenticator_code_is_one_short_line(form, code):
    from people import account_forms

    with pytest.raises(ValidationError):
        getattr(account_forms, form).base_fields["code"].clean(code)


def test_allauths_own_form_classes_are_left_as_they_are():
    from allauth.mfa.webauthn.forms import EditWebAuthnForm

    assert EditWebAuthnForm.base_fields["name"].max_length is None
