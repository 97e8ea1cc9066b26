"""A person's data export (Art. 15 GDPR, /my/data.json) carries what demand holds about them, and
never the content of their anonymous feedback."""

import json

import pytest

from courses.services.privacy import export_person_data
from demand.services.interest import interest_register, interest_withdraw
from demand.services.requests import request_create
from tests.factories import BusinessFactory, CourseFactory, business_contact, trainee

pytestmark = pytest.mark.django_db


def test_export_lists_the_persons_interests_with_their_status():
    user = trainee()
    kept = interest_register(user=user, course=CourseFactory(title="CNC Grundlagen"))
    gone = interest_register(user=user, course=CourseFactory(title="Lasercutter"))
    interest_withdraw(interest=gone, actor=user)
    interest_register(user=trainee(), course=kept.course)  # someone else's

    data = export_person_data(user)

    rows = {row["course"]: row for row in data["interests"]}
    assert set(rows) == {"CNC Grundlagen", "Lasercutter"}
    assert rows["CNC Grundlagen"]["status"] == "active"
    assert rows["Lasercutter"]["status"] == "withdrawn"
    json.dumps(data)  # the download is JSON


def test_export_lists_the_course_requests_the_contact_wrote():
    business = BusinessFactory(name="Tischlerei Muster")
    contact = business_contact(business)
    course = CourseFactory()
    request_create(
        actor=contact,
        business=business,
        topic=course.topic,
        title="SPS am Samstag",
        message="Zwei Gesellen, lieber samstags",
        participants=2,
    )

    data = export_person_data(contact)

    assert [r["title"] for r in data["course_requests"]] == ["SPS am Samstag"]
    assert data["course_requests"][0]["business"] == "Tischlerei Muster"
    assert data["course_requests"][0]["message"] == "Zwei Gesellen, lieber samstags"
    assert export_person_data(trainee())["course_requests"] == []


def test_the_download_page_includes_interests(client):
    user = trainee()
    interest_register(user=user, course=CourseFactory(title="3D-Druck kompakt"))
    client.force_login(user)
    response = client.get("/my/data.json")
    assert response.status_code == 200
    assert [row["course"] for row in response.json()["interests"]] == ["3D-Druck kompakt"]
