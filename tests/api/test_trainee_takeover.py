"""A key with businesses:write must never take over a person's account: the chamber's upsert
changes the chamber's data about an apprentice, never the login (e-mail, password, activation) of
an account someone uses. An address that already has an account becomes a record its owner
confirms through a signed link sent to their own address."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.utils import timezone

from core.services.outbox import deliver_due_emails
from people.models import ChamberLink, Employment, TraineeProfile, User
from tests.factories import PASSWORD, TraineeProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

ATTACKER = "attacker@evil.example"


def _verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def victim(member):
    """A person who uses their account: password set, address confirmed, apprentice of the
    chamber's member business."""
    profile = TraineeProfileFactory(
        business=member,
        lehrlingsrolle_number="LR-VICTIM",
        user=_verified(UserFactory(email="lena@example.org")),
    )
    return profile.user


def _reset_links(to: str) -> list[str]:
    return [
        link
        for m in mail.outbox
        if to in m.to
        for link in re.findall(r"/accounts/password/reset/key/\S+", m.body)
    ]


def test_upsert_with_another_address_leaves_the_login_alone(api, member, victim):
    password_hash = victim.password
    response = api.post(
        "/api/v1/trainees/",
        {
            "lehrlingsrolle_number": "LR-VICTIM",
            "business": member.member_number,
            "first_name": victim.first_name,
            "last_name": victim.last_name,
            "email": ATTACKER,
            "occupation": "Tischlerin",  # chamber data: this may change
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["email"] == "lena@example.org"  # the account's own address
    victim.refresh_from_db()
    assert victim.email == "lena@example.org"
    assert victim.password == password_hash and victim.is_active
    assert victim.trainee_profile.occupation == "Tischlerin"
    assert not User.objects.filter(email__iexact=ATTACKER).exists()

    # The password reset the attacker would now ask for goes nowhere near them.
    mail.outbox.clear()
    Client().post("/accounts/password/reset/", {"email": ATTACKER})
    Client().post("/accounts/password/reset/", {"email": "lena@example.org"})
    # allauth's e-mails go through the outbox; its sweep sends them inside the test transaction.
    deliver_due_emails(now=timezone.now() + dt.timedelta(minutes=5))
    assert _reset_links(ATTACKER) == []
    assert len(_reset_links("lena@example.org")) == 1


def test_a_new_number_with_an_existing_address_asks_the_owner(
    api, member, victim, django_capture_on_commit_callbacks
):
    other = _verified(UserFactory(email="mara@example.org"))
    body = {
        "lehrlingsrolle_number": "LR-NEW-7",
        "business": member.member_number,
        "first_name": "Gefälscht",
        "last_name": "Name",
        "email": "MARA@example.org",
        "occupation": "Elektronikerin",
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/trainees/", body, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "pending_confirmation"
    other.refresh_from_db()
    assert (other.first_name, other.email) != ("Gefälscht", ATTACKER)
    assert not TraineeProfile.objects.filter(lehrlingsrolle_number="LR-NEW-7").exists()
    assert not Employment.objects.filter(user=other).exists()
    assert (
        api.get("/api/v1/trainees/", {"lehrlingsrolle_number": "LR-NEW-7"}).json()["results"] == []
    )

    # Sent again (a retry, a sync): still waiting, no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post("/api/v1/trainees/", body, format="json").status_code == 202
    (message,) = mail.outbox
    assert message.to == ["mara@example.org"]
    assert "\n" not in message.subject and "Tischlerei Schröder" in message.subject
    path = re.search(r"https?://[^/\s]+(/my/chamber-link/\S+/)", message.body).group(1)

    # Someone else who gets hold of the link sees nothing.
    stranger = Client()
    stranger.force_login(victim)
    assert stranger.get(path).status_code == 404
    assert stranger.post(path, {"decision": "confirm"}).status_code == 404

    owner = Client()
    assert owner.post("/accounts/login/", {"login": "mara@example.org", "password": PASSWORD})
    page = owner.get(path)
    assert page.status_code == 200 and "LR-NEW-7" in page.content.decode()
    owner.post(path, {"decision": "confirm"})
    assert ChamberLink.objects.get().status == ChamberLink.Status.CONFIRMED
    profile = TraineeProfile.objects.get(lehrlingsrolle_number="LR-NEW-7")
    assert profile.user == other and profile.business == member
    assert profile.occupation == "Elektronikerin"
    other.refresh_from_db()
    assert other.email == "mara@example.org" and other.first_name != "Gefälscht"
    listed = api.get("/api/v1/trainees/", {"lehrlingsrolle_number": "LR-NEW-7"}).json()
    assert [row["email"] for row in listed["results"]] == ["mara@example.org"]


def test_the_owner_may_decline_and_nothing_is_linked(api, member, client):
    owner = _verified(UserFactory(email="tim@example.org"))
    response = api.post(
        "/api/v1/trainees/",
        {"lehrlingsrolle_number": "LR-T", "business": "4711", "first_name": "T", "last_name": "M",
         "email": owner.email},
        format="json",
    )  # fmt: skip
    assert response.status_code == 202
    link = ChamberLink.objects.get()
    client.force_login(owner)
    page = client.get("/my/employer/").content.decode()
    token_path = re.search(r'href="(/my/chamber-link/[^"]+/)"', page).group(1)
    client.post(token_path, {"decision": "decline"})
    link.refresh_from_db()
    assert link.status == ChamberLink.Status.DECLINED
    assert not TraineeProfile.objects.filter(lehrlingsrolle_number="LR-T").exists()


def test_a_forged_or_expired_link_is_not_found(client, victim, settings):
    client.force_login(victim)
    assert client.get("/my/chamber-link/1:forged:signature/").status_code == 404


def test_an_unused_account_the_api_created_may_get_its_first_address(api, member):
    body = {
        "lehrlingsrolle_number": "LR-P",
        "business": "4711",
        "first_name": "P",
        "last_name": "Q",
    }
    assert api.post("/api/v1/trainees/", body, format="json").json()["email"] is None
    row = api.post("/api/v1/trainees/", {**body, "email": "p.q@example.org"}, format="json").json()
    assert row["email"] == "p.q@example.org"  # nobody has used the account: still the chamber's

    # Once its owner has signed in, the address is theirs.
    user = User.objects.get(email="p.q@example.org")
    user.set_password(PASSWORD)
    user.save()
    row = api.post("/api/v1/trainees/", {**body, "email": ATTACKER}, format="json").json()
    assert row["email"] == "p.q@example.org"


def test_the_trainee_list_shows_only_confirmed_people(api, member, apprentice):
    from people.services import employment_request

    asking = UserFactory(email="asks@example.org")
    TraineeProfile.objects.create(user=asking, lehrlingsrolle_number="LR-ASK")
    employment_request(user=asking, business=member)
    numbers = {
        row["lehrlingsrolle_number"] for row in api.get("/api/v1/trainees/").json()["results"]
    }
    assert numbers == {"LR-2024-001"}


def test_the_schema_documents_the_confirmation(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    text = schema.content.decode()
    assert schema.status_code == 200
    assert "pending_confirmation" in text
    assert "never changes the login" in text.lower() or "never changes the login" in text


def test_deleting_the_record_keeps_an_account_someone_uses(api, member, victim):
    victim.set_unusable_password()  # e.g. signs in through single sign-on: still in use
    victim.save()
    profile = victim.trainee_profile
    assert api.delete(f"/api/v1/trainees/{profile.pk}/").status_code == 204
    victim.refresh_from_db()
    assert victim.is_active and victim.email == "lena@example.org"
    assert not TraineeProfile.objects.filter(pk=profile.pk).exists()
