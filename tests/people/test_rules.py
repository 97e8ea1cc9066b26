"""The permission layer (every app's rules.py) per role: each perm is asked about a real object by a
coordinator of its school and of another school, the instructor of the run and another
instructor, the contact of the participant's business and of another business, the participant
and another trainee, the district admin and an admin of another district, and an anonymous user."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from certificates.models import Certificate
from courses.models import CalendarFeed
from demand.models import CourseRequest, Interest
from signin.models import SignInLink
from tests.factories import (
    BusinessFactory,
    CourseFactory,
    CourseRunFactory,
    DistrictFactory,
    EnrolmentFactory,
    EquipmentFactory,
    SchoolFactory,
    SessionFactory,
    WorkshopFactory,
    business_contact,
    coordinator,
    district_admin,
    instructor,
    trainee,
)

STAFF = {"coord_a", "district_admin", "instructor_of_run", "instructor_other", "coord_b"}
SCHOOL_A = {"coord_a", "district_admin"}

PEOPLE = [
    "coord_a",
    "coord_b",
    "instructor_of_run",
    "instructor_other",
    "contact_x",
    "contact_y",
    "participant",
    "other_trainee",
    "district_admin",
    "other_district_admin",
    "anonymous",
]
SIGNED_IN = set(PEOPLE) - {"anonymous"}

# perm -> (object it is asked about, who gets a yes). Everybody else gets a no.
EXPECTED = {
    "people.access_staff_area": (None, STAFF | {"other_district_admin"}),
    "people.manage_school": ("school_a", SCHOOL_A),
    "people.act_for_business": ("business_x", {"contact_x"}),
    "people.manage_employees": (None, {"contact_x", "contact_y"}),
    # The person leaves, or the contact of that business removes them.
    "people.end_employment": ("employment", {"participant", "contact_x"}),
    # district_admin: their district has schools; other_district_admin's has none.
    "workshops.manage_inventory": (None, SCHOOL_A | {"coord_b"}),
    "workshops.record_briefing": (None, STAFF),
    "workshops.manage_equipment": ("equipment", SCHOOL_A),
    # The school's instructors read the item page (QR label) and report defects there.
    "workshops.view_equipment": ("equipment", SCHOOL_A | {"instructor_of_run", "instructor_other"}),
    "workshops.report_defect": ("equipment", SCHOOL_A | {"instructor_of_run", "instructor_other"}),
    "courses.view_run": ("draft_run", SCHOOL_A),
    "courses.view_course": ("inactive_course", SCHOOL_A),
    "courses.plan_courses": (None, SCHOOL_A | {"coord_b"}),
    "courses.manage_course": ("course", SCHOOL_A),
    "courses.manage_run": ("run", SCHOOL_A),
    "courses.view_run_participants": ("run", SCHOOL_A | {"instructor_of_run"}),
    "courses.view_taught_run": ("run", SCHOOL_A | {"instructor_of_run"}),
    "courses.take_attendance": ("session", SCHOOL_A | {"instructor_of_run"}),
    "courses.manage_feed": ("workshop_feed", SCHOOL_A),
    "courses.view_enrolment": (
        "enrolment",
        SCHOOL_A | {"instructor_of_run", "participant", "contact_x"},
    ),
    "courses.answer_offer": ("enrolment", {"participant"}),
    "courses.cancel_enrolment": ("enrolment", SCHOOL_A | {"participant", "contact_x"}),
    "courses.cancel_after_deadline": ("run", SCHOOL_A),
    "courses.manage_participants": ("run", SCHOOL_A),
    "courses.approve_enrolment": ("enrolment", {"contact_x"}),
    "courses.access_business_area": (None, {"contact_x", "contact_y"}),
    "certificates.manage_certificates": (None, SCHOOL_A | {"coord_b"}),
    "certificates.issue_certificate": ("enrolment", SCHOOL_A),
    "certificates.revoke_certificate": ("certificate", SCHOOL_A),
    "certificates.download_certificate": ("certificate", SCHOOL_A | {"participant", "contact_x"}),
    "demand.register_interest": (None, SIGNED_IN),
    "demand.manage_interest": ("interest", {"participant"}),
    "demand.request_course": (None, {"contact_x", "contact_y"}),
    "demand.view_request": ("course_request", SCHOOL_A | {"contact_x"}),
    "demand.answer_request": ("course_request", SCHOOL_A),
    "demand.view_board": (None, {"coord_a", "coord_b", "district_admin", "other_district_admin"}),
    "demand.plan_run": ("course", SCHOOL_A),
    "demand.give_feedback": ("enrolment", {"participant"}),
    "demand.view_feedback": ("run", SCHOOL_A),
    "demand.manage_feedback_questions": ("course", SCHOOL_A),
    "demand.view_statistics": (None, {"district_admin", "other_district_admin"}),
    # coord_a's first sign-in through an identity provider, confirmed by their district's admin.
    "signin.review_links": (None, {"district_admin", "other_district_admin"}),
    "signin.decide_link": ("sign_in_link", {"district_admin"}),
}


@pytest.fixture
def world(db):
    district = DistrictFactory()
    school_a = SchoolFactory(district=district)
    school_b = SchoolFactory(district=district)
    business_x, business_y = BusinessFactory(), BusinessFactory()
    teacher = instructor(school_a)
    run = CourseRunFactory(
        course__school=school_a, workshop=WorkshopFactory(school=school_a), instructor=teacher
    )
    participant = trainee(business=business_x)
    enrolment = EnrolmentFactory(run=run, participant=participant)
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        number="BBS-2026-0001",
        verification_code="x" * 32,
        issued_at=timezone.now(),
    )
    objects = {
        "school_a": school_a,
        "business_x": business_x,
        "equipment": EquipmentFactory(workshop=run.workshop),
        "course": run.course,
        "run": run,
        "draft_run": CourseRunFactory(course__school=school_a, status="draft"),
        "inactive_course": CourseFactory(school=school_a, is_active=False),
        "workshop_feed": CalendarFeed.objects.create(token_hash="w" * 32, workshop=run.workshop),
        "session": SessionFactory(run=run),
        "enrolment": enrolment,
        "certificate": certificate,
        "interest": Interest.objects.create(
            user=participant, course=run.course, expires_at=timezone.now() + dt.timedelta(days=9)
        ),
        "employment": participant.employments.get(),
        "course_request": CourseRequest.objects.create(
            business=business_x, topic=run.course.topic, school=school_a, title="SPS"
        ),
        None: None,
    }
    people = {
        "coord_a": coordinator(school_a),
        "coord_b": coordinator(school_b),
        "instructor_of_run": teacher,
        "instructor_other": instructor(school_a),
        "contact_x": business_contact(business_x),
        "contact_y": business_contact(business_y),
        "participant": participant,
        "other_trainee": trainee(business=business_x),
        "district_admin": district_admin(district),
        "other_district_admin": district_admin(DistrictFactory(code="anderswo", name="Anderswo")),
        "anonymous": AnonymousUser(),
    }
    objects["sign_in_link"] = SignInLink.objects.create(
        user=people["coord_a"], provider="kreis", uid="sub-a", email=people["coord_a"].email
    )
    return objects, people


def test_every_perm_of_every_app_has_expectations():
    root = Path(__file__).parents[2]
    defined = set()
    for path in root.glob("*/rules.py"):
        defined |= set(re.findall(r'add_perm\(\s*"([^"]+)"', path.read_text()))
    assert defined == set(EXPECTED)


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_perm_per_role(world, perm):
    objects, people = world
    obj_key, allowed = EXPECTED[perm]
    obj = objects[obj_key]
    answers = {name: people[name].has_perm(perm, obj) for name in PEOPLE}
    assert {name for name, yes in answers.items() if yes} == allowed


def test_roles_are_scoped_to_their_school_and_business(world):
    objects, people = world
    other_run = CourseRunFactory()  # at a school of its own
    assert not people["coord_a"].has_perm("courses.manage_run", other_run)
    assert not people["instructor_of_run"].has_perm(
        "courses.take_attendance", SessionFactory(run=other_run)
    )
    stranger = EnrolmentFactory(run=objects["run"], participant=trainee(business=BusinessFactory()))
    assert not people["contact_x"].has_perm("courses.view_enrolment", stranger)
    assert not people["participant"].has_perm("courses.view_enrolment", stranger)
    assert people["coord_a"].has_perm("courses.view_enrolment", stranger)


def test_a_deactivated_coordinator_loses_the_school(world):
    objects, people = world
    coord = people["coord_a"]
    coord.is_active = False
    assert not coord.has_perm("courses.manage_run", objects["run"])
