"""A course with no run at all still has a page, found from the catalogue, on which people ask to
be told when a run is planned."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import CourseRun
from demand.models import Interest
from tests.factories import CourseFactory, CourseRunFactory, SessionFactory, trainee

pytestmark = pytest.mark.django_db


def test_catalogue_names_courses_without_a_bookable_run_and_links_their_page(client):
    lonely = CourseFactory(title="Roboterschweißen")
    booked = CourseFactory(title="SPS Grundlagen")
    SessionFactory(run=CourseRunFactory(course=booked))
    CourseRunFactory(course=lonely, status=CourseRun.Status.DRAFT)  # a draft is not bookable
    CourseFactory(title="Alter Kurs", is_active=False)

    page = client.get("/").content.decode()

    other = page[page.index('id="other-courses-heading"') :]
    assert "Roboterschweißen" in other and f"/courses/{lonely.pk}/" in other
    assert "SPS Grundlagen" not in other  # it is in the list of runs above
    assert "Alter Kurs" not in page


def test_catalogue_search_applies_to_the_courses_without_runs(client):
    CourseFactory(title="Roboterschweißen")
    CourseFactory(title="Lasergravur")
    page = client.get("/", {"q": "laser"}).content.decode()
    assert "Lasergravur" in page and "Roboterschweißen" not in page


def test_course_page_without_runs_offers_notify_me_and_registers_interest(client):
    course = CourseFactory(title="Roboterschweißen")
    user = trainee()
    client.force_login(user)

    page = client.get(f"/courses/{course.pk}/").content.decode()
    assert "Zurzeit gibt es keinen buchbaren Termin" in page
    assert f"/interest/courses/{course.pk}/" in page

    response = client.post(f"/interest/courses/{course.pk}/", {"participants": 1})
    assert response.status_code == 302
    assert Interest.objects.filter(user=user, course=course).exists()
    page = client.get(f"/courses/{course.pk}/").content.decode()
    assert "Sie werden benachrichtigt" in page


def test_course_page_lists_its_bookable_runs(client):
    course = CourseFactory()
    run = CourseRunFactory(course=course)
    SessionFactory(run=run)
    page = client.get(f"/courses/{course.pk}/").content.decode()
    assert f"/runs/{run.pk}/" in page
    assert "Zurzeit gibt es keinen buchbaren Termin" not in page


def test_inactive_course_page_is_not_shown_to_the_public(client):
    course = CourseFactory(is_active=False)
    assert client.get(f"/courses/{course.pk}/").status_code in (302, 403, 404)


def test_course_page_runs_a_fixed_number_of_queries(client):
    course = CourseFactory()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/courses/{course.pk}/").status_code == 200
        return len(ctx)

    few = count()
    for _ in range(6):
        SessionFactory(run=CourseRunFactory(course=course))
    assert count() == few
