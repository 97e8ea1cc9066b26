"""Who confirms a sign-in link: a district admin of a district the person works in, never the
person themselves, never an admin of another district; and a confirmed link gives no role."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from core.errors import PermissionDenied
from signin import services
from signin.models import SignInLink
from tests.factories import DistrictFactory, SchoolFactory, UserFactory, coordinator, district_admin

pytestmark = pytest.mark.django_db


def _pending(user) -> SignInLink:
    return services.request_link(
        user=user, provider="kreis", uid=f"sub-{user.pk}", email=user.email
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_of_another_district_neither_sees_nor_decides_the_link():
    staff = coordinator(SchoolFactory())
    link = _pending(staff)
    elsewhere = district_admin(DistrictFactory(code="anderswo", name="Landkreis Anderswo"))

    client = _client(elsewhere)
    assert staff.email not in client.get(reverse("signin:link_list")).content.decode()
    answer = client.post(reverse("signin:link_decide", args=[link.pk]), {"decision": "approve"})

    assert answer.status_code == 403
    link.refresh_from_db()
    assert link.status == SignInLink.Status.PENDING
    assert not SocialAccount.objects.exists()


def test_nobody_confirms_their_own_link_not_even_a_district_admin_or_superuser():
    district = DistrictFactory()
    admin = district_admin(district)
    link = _pending(admin)
    assert (
        _client(admin)
        .post(reverse("signin:link_decide", args=[link.pk]), {"decision": "approve"})
        .status_code
        == 403
    )

    boss = UserFactory(is_superuser=True, is_staff=True)
    own = _pending(boss)
    with pytest.raises(PermissionDenied):
        services.approve_link(link=own, actor=boss)
    assert not SocialAccount.objects.exists()


def test_coordinators_and_trainees_cannot_open_the_page():
    staff = coordinator()
    assert _client(staff).get(reverse("signin:link_list")).status_code == 403


def test_a_decided_link_is_not_decided_again():
    staff = coordinator()
    admin = district_admin(staff.memberships.get().school.district)
    link = _pending(staff)
    client = _client(admin)
    client.post(reverse("signin:link_decide", args=[link.pk]), {"decision": "refuse"})
    answer = client.post(
        reverse("signin:link_decide", args=[link.pk]), {"decision": "approve"}, follow=True
    )
    assert "bereits entschieden" in answer.content.decode()
    link.refresh_from_db()
    assert link.status == SignInLink.Status.REFUSED
    assert not SocialAccount.objects.exists()


def test_confirming_gives_no_role_and_a_removed_connection_asks_again():
    person = UserFactory()  # an account without roles (a superuser confirms it in the admin)
    link = _pending(person)
    boss = UserFactory(is_superuser=True, is_staff=True)
    client = _client(boss)
    client.post(
        reverse("admin:signin_signinlink_changelist"),
        {"action": "approve", "_selected_action": [link.pk]},
    )
    link.refresh_from_db()
    assert link.status == SignInLink.Status.APPROVED
    assert SocialAccount.objects.get().user == person
    assert not person.memberships.exists()

    SocialAccount.objects.all().delete()  # the person disconnected it on the account page
    again = _pending(person)
    assert again.pk == link.pk and again.status == SignInLink.Status.PENDING


def test_the_district_admins_who_decide_are_told_in_their_language(
    django_capture_on_commit_callbacks, mailoutbox
):
    district = DistrictFactory()
    staff = coordinator(SchoolFactory(district=district))
    german, english = district_admin(district), district_admin(district)
    english.language = "en"
    english.save(update_fields=["language"])
    district_admin(DistrictFactory(code="anderswo", name="Landkreis Anderswo"))  # not theirs

    with django_capture_on_commit_callbacks(execute=True):
        link = _pending(staff)
    with django_capture_on_commit_callbacks(execute=True):
        _pending(staff)  # asking again tells nobody twice

    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {german.email, english.email}
    assert "wartet auf Bestätigung" in by_address[german.email].subject
    assert "awaiting confirmation" in by_address[english.email].subject
    assert f"http://127.0.0.1:8000{reverse('signin:link_list')}" in by_address[german.email].body
    assert staff.email in by_address[english.email].body
    assert link.status == SignInLink.Status.PENDING
