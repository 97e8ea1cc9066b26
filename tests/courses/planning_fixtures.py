"""Shared set-up for the planning and attendance tests: a school with a coordinator, an
instructor, a workshop with 3D printers and a draft run of a course that needs them."""

from dataclasses import dataclass

from courses.models import CourseRun
from people.models import Membership, School, User
from tests.factories import (
    CourseEquipmentFactory,
    CourseFactory,
    CourseRunFactory,
    EquipmentFactory,
    EquipmentTypeFactory,
    MembershipFactory,
    SchoolFactory,
    WorkshopFactory,
)
from workshops.models import Equipment, EquipmentType, Workshop


@dataclass
class Plan:
    school: School
    coordinator: User
    instructor: User
    workshop: Workshop
    printer: EquipmentType
    printers: list[Equipment]
    run: CourseRun


def make_plan(*, units: int = 6, capacity: int = 12, per_unit: int = 2, school=None) -> Plan:
    school = school or SchoolFactory()
    coordinator = MembershipFactory(role=Membership.Role.COORDINATOR, school=school).user
    instructor = MembershipFactory(role=Membership.Role.INSTRUCTOR, school=school).user
    workshop = WorkshopFactory(school=school, seats=16)
    printer = EquipmentTypeFactory(participants_per_unit=per_unit)
    printers = [EquipmentFactory(workshop=workshop, type=printer) for _ in range(units)]
    course = CourseFactory(school=school, title=f"3D-Druck kompakt {school.code}")
    CourseEquipmentFactory(course=course, equipment_type=printer)
    run = CourseRunFactory(
        course=course,
        school=school,
        workshop=workshop,
        instructor=instructor,
        capacity=capacity,
        min_participants=2,
        status=CourseRun.Status.DRAFT,
        starts_at=None,
        ends_at=None,
    )
    return Plan(school, coordinator, instructor, workshop, printer, printers, run)


def other_run(plan: Plan, **kwargs) -> CourseRun:
    """A second draft run at the plan's school and workshop, to clash with."""
    return CourseRunFactory(
        course__school=plan.school,
        course__title="CNC-Fräsen für Einsteiger",
        school=plan.school,
        workshop=plan.workshop,
        status=CourseRun.Status.DRAFT,
        **kwargs,
    )
