"""Who a request is signed in as: the session (core.sessions) and the user (User.objects.get by
primary key, compiled once) are looked up without building queries, and every rule of Django's
sign-in still holds: an expired session, a changed password and a deactivated account sign the
person out; a session nobody holds is anonymous."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.shortcuts import resolve_url
from django.utils import timezone

from people.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _signed_in(client, user):
    client.force_login(user)
    response = client.get("/my/")
    assert response.status_code == 200
    return response


def _is_sent_to_sign_in(client) -> bool:
    response = client.get("/my/")
    return response.status_code == 302 and response["Location"].startswith(
        resolve_url(settings.LOGIN_URL)
    )


def test_a_signed_in_person_sees_their_page(client):
    response = _signed_in(client, UserFactory())

    assert response.wsgi_request.user.is_authenticated


def test_an_expired_session_signs_the_person_out(client):
    _signed_in(client, UserFactory())
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))

    assert _is_sent_to_sign_in(client)


def test_a_changed_password_signs_out_every_other_browser(client):
    user = UserFactory()
    _signed_in(client, user)
    user.set_password("ein ganz anderes Passwort")
    user.save()

    assert _is_sent_to_sign_in(client)


def test_a_deactivated_account_is_signed_out(client):
    user = UserFactory()
    _signed_in(client, user)
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert _is_sent_to_sign_in(client)


def test_a_session_key_nobody_holds_is_anonymous(client):
    client.cookies[settings.SESSION_COOKIE_NAME] = "k" * 32

    assert _is_sent_to_sign_in(client)


def test_a_deleted_account_is_signed_out(client):
    user = UserFactory()
    _signed_in(client, user)
    User.objects.filter(pk=user.pk).delete()

    assert _is_sent_to_sign_in(client)


def test_get_by_primary_key_gives_what_the_orm_gives():
    user = UserFactory(language="en")

    found = User.objects.get(pk=str(user.pk))  # the session holds the id as text

    expected = User.objects.filter(pk=user.pk).get()
    assert [getattr(found, f.attname) for f in User._meta.concrete_fields] == [
        getattr(expected, f.attname) for f in User._meta.concrete_fields
    ]
    assert found._state.db == expected._state.db and not found._state.adding
    with pytest.raises(User.DoesNotExist, match="User matching query does not exist"):
        User.objects.get(pk=user.pk + 1000)
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=2**70)  # beyond the column: no such user, not a database error


def test_a_related_manager_still_filters_by_its_relation():
    member, stranger = UserFactory(), UserFactory()
    group = Group.objects.create(name="Kurs")
    group.user_set.add(member)

    assert group.user_set.get(pk=member.pk) == member
    with pytest.raises(User.DoesNotExist):
        group.user_set.get(pk=stranger.pk)
