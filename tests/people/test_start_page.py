"""After signing in, each role lands on its own start page; a `next` address still wins."""

import pytest

from tests.factories import (
    BusinessFactory,
    business_contact,
    coordinator,
    district_admin,
    instructor,
    trainee,
)

pytestmark = pytest.mark.django_db
PASSWORD = "ein-sicheres-Passwort-42"


def _login(client, user, **params) -> str:
    from allauth.account.models import EmailAddress

    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    url = "/accounts/login/" + (f"?next={params['next']}" if params else "")
    response = client.post(url, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (trainee, "/my/"),
        (lambda: business_contact(BusinessFactory()), "/business/"),
        (coordinator, "/staff/"),
        (district_admin, "/staff/"),
        (instructor, "/staff/my-sessions/"),
    ],
    ids=["trainee", "business", "coordinator", "district-admin", "instructor"],
)
def test_each_role_lands_on_its_start_page(client, make, expected):
    assert _login(client, make()) == expected
    assert client.get(expected).status_code == 200


def test_next_address_wins(client):
    assert _login(client, coordinator(), next="/staff/runs/") == "/staff/runs/"
