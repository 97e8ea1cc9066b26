"""Courses (services/planning/courses.py): every field is a named argument (an unknown one is an
error, not silently dropped), an update changes only what it is given, and the input a course is
refused for."""

from decimal import Decimal

import pytest

from core.errors import InvalidInput
from core.models import AuditEntry
from courses.models import Course, CourseEquipment
from courses.services import planning
from tests.factories import EquipmentTypeFactory, SchoolFactory, TopicFactory, coordinator

pytestmark = pytest.mark.django_db


def _create(**fields):
    school = SchoolFactory()
    values = {
        "school": school,
        "actor": coordinator(school),
        "topic": TopicFactory(),
        "title": "Schweißen MAG",
        "hours": Decimal("16"),
    } | fields
    return planning.create_course(**values)


def test_a_course_is_created_with_the_model_defaults_and_its_equipment():
    printer = EquipmentTypeFactory()
    course = _create(equipment_types=[printer])
    assert (course.level, course.target_group) == ("beginner", "both")
    assert course.attendance_threshold == 80 and course.is_active
    assert list(course.equipment_types.all()) == [printer]
    assert AuditEntry.objects.filter(action="course.created", object_id=str(course.pk)).exists()


def test_an_unknown_field_is_an_error_not_silently_dropped():
    with pytest.raises(TypeError):
        _create(titel="Tippfehler")
    assert not Course.objects.exists()
    course = _create()
    with pytest.raises(TypeError):
        planning.update_course(course=course, actor=None, hourz=Decimal("8"))


def test_an_update_changes_only_the_fields_it_is_given():
    printer = EquipmentTypeFactory()
    course = _create(summary="Grundlagen", equipment_types=[printer])
    planning.update_course(course=course, actor=None, title="Schweißen MAG II")
    course.refresh_from_db()
    assert (course.title, course.summary, course.hours) == ("Schweißen MAG II", "Grundlagen", 16)
    assert CourseEquipment.objects.filter(course=course).count() == 1
    planning.update_course(course=course, actor=None, equipment_types=[])
    assert not CourseEquipment.objects.filter(course=course).exists()
    entry = AuditEntry.objects.filter(action="course.updated").order_by("id").first()
    assert entry.data["fields"] == ["title"]


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"title": "  "}, "title"),
        ({"hours": Decimal("0")}, "hours"),
        ({"attendance_threshold": 120}, "attendance_threshold"),
    ],
)
def test_a_course_without_title_or_hours_or_with_a_wrong_threshold_is_refused(fields, field):
    with pytest.raises(InvalidInput) as err:
        _create(**fields)
    assert err.value.field == field
    assert not Course.objects.exists()
