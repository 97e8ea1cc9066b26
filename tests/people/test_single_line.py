"""A name with a line break is refused with a field error, and nothing is written, through
every web entry point: allauth's signup, a staff form and the admin (the API has its own test)."""

import pytest

from people.models import Business, User
from tests.factories import BusinessFactory, CourseFactory, UserFactory, coordinator

pytestmark = pytest.mark.django_db

BREAK = "Lena\r\nBcc: x@example.org"
MESSAGE = "Bitte ohne Zeilenumbrüche und Steuerzeichen eingeben."


@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_signup_refuses_a_name_with_a_line_break(client, field):
    data = {
        "email": "lena@example.org",
        "password1": "ein-langes-Passwort-42",
        "password2": "ein-langes-Passwort-42",
        "first_name": "Lena",
        "last_name": "Weiß",
        "kind": "apprentice",
        field: BREAK,
    }
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert MESSAGE in page and 'aria-invalid="true"' in page
    assert not User.objects.filter(email="lena@example.org").exists()


def test_a_staff_form_refuses_a_title_with_a_line_break(client):
    user = coordinator()
    client.force_login(user)
    course = CourseFactory(school=user.memberships.get().school, title="Drehen")
    response = client.post(
        f"/staff/courses/{course.pk}/edit/", {"title": "Drehen\nFräsen", "hours": "8"}
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    course.refresh_from_db()
    assert course.title == "Drehen"


def test_the_admin_refuses_a_user_name_with_a_line_break(admin_client):
    user = UserFactory(first_name="Lena", last_name="Weiß")
    url = f"/admin/people/user/{user.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    response = admin_client.post(
        url,
        {
            "email": user.email,
            "first_name": BREAK,
            "last_name": "Weiß",
            "language": "de",
            "is_active": "on",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "08:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "trainee_profile-TOTAL_FORMS": "0",
            "trainee_profile-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    user.refresh_from_db()
    assert user.first_name == "Lena"


def test_the_admin_refuses_a_business_name_with_a_line_break(admin_client):
    business = BusinessFactory(name="Tischlerei Schröder")
    response = admin_client.post(
        "/admin/people/business/add/",
        {"name": "Tischlerei\r\nX", "member_number": "1", "city": "Celle", "is_active": "on"},
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert list(Business.objects.values_list("pk", flat=True)) == [business.pk]
