"""/moochub/courses/: the public catalogue as a MOOChub v3 feed."""

import pytest

pytestmark = pytest.mark.django_db


def test_moochub_feed_lists_the_public_catalogue(client, world):
    from tests.factories import CourseRunFactory

    CourseRunFactory(status="draft")
    response = client.get("/api/v1/moochub/courses/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.api+json"
    body = response.json()
    assert len(body["data"]) == 1
    course = body["data"][0]
    assert course["type"] == "Course"
    attributes = course["attributes"]
    assert attributes["name"] == world.course.title
    assert attributes["learningObjectives"] == world.course.learning_outcome_list
    assert attributes["languages"] == ["de"]
    assert attributes["duration"] == "PT16H"
    assert attributes["url"] == f"https://lernwerkstatt.example/runs/{world.run.pk}/"
    assert attributes["publisher"]["url"] == "https://lernwerkstatt.example/"
    assert attributes["startDate"][0].startswith(str(world.run.starts_at.year))
    assert body["links"]["self"].endswith("?page=1")
    for page in ("0", "x", "²"):
        assert client.get("/api/v1/moochub/courses/", {"page": page}).status_code == 400
