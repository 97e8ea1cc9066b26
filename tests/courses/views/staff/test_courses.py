"""The course pages of the staff area: the list holds the own schools' courses only and searches
them; editing keeps the course at its school."""

import pytest
from django.urls import reverse

from courses.models import Course
from tests.factories import CourseFactory, SchoolFactory, TopicFactory, coordinator

pytestmark = pytest.mark.django_db


def test_course_list_shows_and_searches_the_own_schools_courses(client):
    school = SchoolFactory()
    laser = CourseFactory(
        school=school, title="Lasern", topic=TopicFactory(name="Metall", slug="metall")
    )
    CourseFactory(school=school, title="Löten")
    CourseFactory(title="Lasern woanders")  # another school
    client.force_login(coordinator(school))
    url = reverse("courses:staff_course_list")
    titles = {c.title for c in client.get(url).context["page"].object_list}
    assert titles == {"Lasern", "Löten"}
    found = client.get(url, {"q": "metall"}).context["page"].object_list
    assert [c.pk for c in found] == [laser.pk]


def test_editing_a_course_saves_it_and_keeps_its_school(client):
    course = CourseFactory(title="Alt")
    client.force_login(coordinator(course.school))
    response = client.post(
        reverse("courses:staff_course_edit", args=[course.pk]),
        {
            "school": SchoolFactory().pk,  # a disabled field: ignored
            "topic": course.topic_id,
            "title": "Neu",
            "level": course.level,
            "target_group": course.target_group,
            "hours": "8",
            "attendance_threshold": "75",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert (course.title, course.attendance_threshold) == ("Neu", 75)
    assert Course.objects.get(pk=course.pk).school_id == course.school_id


def test_a_course_of_another_school_cannot_be_edited(client):
    course = CourseFactory()
    client.force_login(coordinator())
    url = reverse("courses:staff_course_edit", args=[course.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Gekapert"}).status_code == 403
    course.refresh_from_db()
    assert course.title != "Gekapert"


def _form(course, **changes):
    data = {
        "topic": course.topic_id,
        "title": course.title,
        "level": course.level,
        "target_group": course.target_group,
        "hours": "8",
        "attendance_threshold": "80",
        "is_active": "on",
    }
    return {**data, **changes}


def test_the_course_form_saves_the_digcomp_competences_it_teaches(client):
    course = CourseFactory()
    client.force_login(coordinator(course.school))
    url = reverse("courses:staff_course_edit", args=[course.pk])
    page = client.get(url).content.decode()
    assert "3.4 Programmieren" in page and 'value="5.1"' in page
    response = client.post(url, _form(course, competences=["5.1", "3.4"]))
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.competences == ["3.4", "5.1"]  # the framework's order
    # Shown checked when the form opens again; an unknown number is a form error.
    assert 'value="3.4" id="id_competences_12" checked' in client.get(url).content.decode()
    response = client.post(url, _form(course, competences=["9.9"]))
    assert response.status_code == 200
    assert response.context["form"].errors["competences"]
    course.refresh_from_db()
    assert course.competences == ["3.4", "5.1"]


def test_the_admin_edits_competences_as_checkboxes(admin_client):
    course = CourseFactory(competences=["4.3"])
    url = reverse("admin:courses_course_change", args=[course.pk])
    page = admin_client.get(url).content.decode()
    assert 'type="checkbox" name="competences" value="4.3"' in page
