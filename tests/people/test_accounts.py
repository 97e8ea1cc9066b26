"""Signup with mandatory e-mail verification, login, password reset and logout, through allauth
and the site's own German templates."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from core.models import OutboxEmail
from people.models import TraineeProfile, User
from tests.factories import BusinessFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Werkbank-2026!"


def _link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _signup(client, **overrides):
    data = {
        "email": "jörg.weiss@example.org".replace("ö", "oe"),
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Jörg",
        "last_name": "Weiß",
        "kind": TraineeProfile.Kind.APPRENTICE,
        "occupation": "Tischler",
    }
    data.update(overrides)
    return client.post("/accounts/signup/", data)


def test_signup_page_is_german_with_a_label_for_every_field(client):
    page = client.get("/accounts/signup/").content.decode()
    assert "<h1>Registrieren</h1>" in page
    for name in ("email", "password1", "password2", "first_name", "last_name", "kind"):
        assert f'for="id_{name}"' in page, name
    assert 'id="main"' in page  # inside the site layout


def test_signup_page_lists_no_businesses_and_a_posted_employer_is_ignored(client):
    business = BusinessFactory(name="Tischlerei Geheimname")
    page = client.get("/accounts/signup/").content.decode()
    assert "Tischlerei Geheimname" not in page and 'name="business"' not in page
    assert _signup(client, business=str(business.pk)).status_code == 302
    profile = User.objects.get(email="joerg.weiss@example.org").trainee_profile
    assert profile.business is None  # an employer is a link the business confirms
    assert not business.employments.exists()


def test_signup_verify_then_login(client, django_capture_on_commit_callbacks):
    # allauth's e-mails go through the outbox: sent once the request's writes commit.
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert (
        "Bitte bestätigen Sie Ihre E-Mail-Adresse"
        in client.get(response["Location"]).content.decode()
    )

    user = User.objects.get(email="joerg.weiss@example.org")
    assert (user.first_name, user.last_name) == ("Jörg", "Weiß")
    profile = user.trainee_profile
    assert profile.business is None and profile.occupation == "Tischler"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["joerg.weiss@example.org"]
    assert mail.outbox[0].subject == "[Lernwerkstatt] Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert mail.outbox[0].body.startswith("Guten Tag,")

    # Before confirming, the login does not let the user in.
    client.post("/accounts/login/", {"login": "joerg.weiss@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session

    link = _link(mail.outbox[0])
    confirm_page = client.get(link)
    assert "joerg.weiss@example.org" in confirm_page.content.decode()
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    response = client.post(
        "/accounts/login/", {"login": "joerg.weiss@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_signup_errors_are_tied_to_their_fields(client):
    response = _signup(client, password2="anders", first_name="")
    assert response.status_code == 200
    page = response.content.decode()
    assert User.objects.count() == 0 and not mail.outbox
    for name in ("first_name", "password2"):
        tag = re.search(rf'<(?:input)[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in tag
        described = re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()
        assert f"id_{name}_error" in described
        assert f'id="id_{name}_error"' in page
    assert "Bitte korrigieren Sie die Eingaben." in page


def test_invalid_confirmation_link_says_so(client):
    page = client.get("/accounts/confirm-email/not-a-key/").content.decode()
    assert "abgelaufen oder ungültig" in page


def test_password_reset_flow(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="lena@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    assert client.get("/accounts/password/reset/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "lena@example.org"})
    assert response.status_code == 302
    assert "E-Mail unterwegs" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Lernwerkstatt] Passwort zurücksetzen"
    # Sent through the outbox, which keeps the record but not the secret link.
    row = OutboxEmail.objects.get(recipients__contains=" lena@example.org ")
    assert (row.status, row.body) == ("sent", "")

    link = client.get(_link(mail.outbox[0]))  # redirects to the key-less URL that holds the token
    form_url = link["Location"]
    assert "Neues Passwort festlegen" in client.get(form_url).content.decode()
    response = client.post(form_url, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert client.login(email="lena@example.org", password=PASSWORD)


def test_wrong_password_shows_a_german_error(client):
    user = UserFactory(email="lena@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page = client.post("/accounts/login/", {"login": "lena@example.org", "password": "falsch"})
    assert page.status_code == 200
    assert "Die E-Mail-Adresse und/oder das Passwort sind leider falsch." in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post(client):
    user = UserFactory()
    client.force_login(user)
    assert "Möchten Sie sich wirklich abmelden?" in client.get("/accounts/logout/").content.decode()
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
