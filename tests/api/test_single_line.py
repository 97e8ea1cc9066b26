"""Names and other one-line fields sent through the API refuse control characters: a 400 problem
naming the field, and nothing written (they reach e-mail subjects and bodies)."""

import pytest

from people.models import Business, TraineeProfile, User

from .conftest import assert_problem

pytestmark = pytest.mark.django_db

BREAKS = ["Lena\r\nBcc: x@example.org", "Lena\nWeiß", "Lena\u2028Weiß", "Lena\tWeiß"]


@pytest.mark.parametrize("value", BREAKS)
@pytest.mark.parametrize("field", ["first_name", "last_name", "occupation"])
def test_trainee_names_with_control_characters_are_refused(api, member, field, value):
    body = {
        "lehrlingsrolle_number": "LR-77",
        "business": member.member_number,
        "first_name": "Lena",
        "last_name": "Weiß",
        field: value,
    }
    problem = assert_problem(api.post("/api/v1/trainees/", body, format="json"), 400)
    assert [e["field"] for e in problem["errors"]] == [field]
    assert "Zeilenumbrüche" in problem["errors"][0]["message"]
    assert not TraineeProfile.objects.filter(lehrlingsrolle_number="LR-77").exists()
    assert not User.objects.filter(first_name__contains="\n").exists()


@pytest.mark.parametrize("field", ["name", "member_number", "city", "street"])
def test_business_fields_with_control_characters_are_refused(api, field):
    body = {"member_number": "9001", "name": "Tischlerei Schröder", field: "Tischlerei\r\nX"}
    problem = assert_problem(api.post("/api/v1/businesses/", body, format="json"), 400)
    assert [e["field"] for e in problem["errors"]] == [field]
    assert not Business.objects.filter(name__startswith="Tischlerei").exists()


def test_a_cancel_reason_with_a_line_break_is_refused(api, world):
    url = f"/api/v1/enrolments/{world.enrolment.pk}/cancel/"
    problem = assert_problem(api.post(url, {"reason": "krank\r\nBcc: x"}, format="json"), 400)
    assert problem["errors"][0]["field"] == "reason"
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == "confirmed"
