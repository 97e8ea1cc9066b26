"""core.access on a page the public may open (`login=False`): anonymous users reach the
permission check, get the 404 of a private object, and the login page for anything else."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from core.access import access
from tests.factories import UserFactory


def _view(request):
    return HttpResponse("ok")


@pytest.fixture
def anonymous_request():
    request = RequestFactory().get("/somewhere/?x=1")
    request.user = AnonymousUser()
    return request


def test_login_false_lets_anonymous_users_through_when_the_perm_allows(anonymous_request):
    allowed = access(None, login=False)(_view)
    assert allowed(anonymous_request).content == b"ok"


def test_login_false_answers_404_for_a_private_object(anonymous_request, monkeypatch):
    monkeypatch.setattr(AnonymousUser, "has_perm", lambda self, perm, obj=None: False)
    with pytest.raises(Http404):
        access("courses.view_run", private=True, login=False)(_view)(anonymous_request)


def test_login_false_sends_anonymous_users_to_the_login_page_otherwise(
    anonymous_request, monkeypatch
):
    monkeypatch.setattr(AnonymousUser, "has_perm", lambda self, perm, obj=None: False)
    response = access("courses.manage_run", login=False)(_view)(anonymous_request)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/somewhere/")


def test_login_false_still_refuses_a_logged_in_user_with_403(rf, db):
    request = rf.get("/")
    request.user = UserFactory()
    with pytest.raises(PermissionDenied):
        access("courses.manage_run", login=False)(_view)(request)


def test_by_default_anonymous_users_go_to_the_login_page_first(anonymous_request):
    response = access("courses.view_run", private=True)(_view)(anonymous_request)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
