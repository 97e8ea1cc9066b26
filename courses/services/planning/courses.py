"""Courses: what a school offers (title, hours, attendance threshold, equipment it needs)."""

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput
from people.models import School, User
from workshops.models import EquipmentType

from ... import competences as framework
from ...models import Course, CourseEquipment, Topic
from .checks import UNSET, Unset, passed, require


def _validate_course(
    *,
    title: str | Unset = UNSET,
    hours: Decimal | None | Unset = UNSET,
    attendance_threshold: int | None | Unset = UNSET,
    competences: Iterable[str] | Unset = UNSET,
) -> None:
    if competences is not UNSET:
        unknown = sorted(set(competences) - set(framework.framework().competences))
        if unknown:
            raise InvalidInput(
                _("Unbekannte Kompetenz: %(codes)s") % {"codes": ", ".join(unknown)},
                field="competences",
            )
    if title is not UNSET:
        require((title or "").strip(), "title", _("Bitte einen Titel angeben."))
    if hours is not UNSET:
        require(hours, "hours", _("Bitte die Unterrichtsstunden angeben."))
        if Decimal(hours) <= 0:
            raise InvalidInput(_("Die Stundenzahl muss größer als 0 sein."), field="hours")
    if attendance_threshold not in (UNSET, None) and not 0 <= int(attendance_threshold) <= 100:
        raise InvalidInput(
            _("Die Mindestanwesenheit muss zwischen 0 und 100 % liegen."),
            field="attendance_threshold",
        )


def _set_equipment_types(course: Course, equipment_types: Iterable[EquipmentType]) -> None:
    wanted = {t.pk for t in equipment_types}
    CourseEquipment.objects.filter(course=course).exclude(equipment_type_id__in=wanted).delete()
    have = set(
        CourseEquipment.objects.filter(course=course).values_list("equipment_type_id", flat=True)
    )
    CourseEquipment.objects.bulk_create(
        [CourseEquipment(course=course, equipment_type_id=pk) for pk in sorted(wanted - have)]
    )


@transaction.atomic
def create_course(
    *,
    school: School,
    actor: User | None,
    topic: Topic,
    title: str,
    hours: Decimal,
    summary: str = "",
    description: str = "",
    level: str = Course.Level.BEGINNER,
    target_group: str = Course.TargetGroup.BOTH,
    learning_outcomes: str = "",
    prerequisites: str = "",
    instruction_plan: str = "",
    attendance_threshold: int = 80,
    is_active: bool = True,
    equipment_types: Iterable[EquipmentType] = (),
    competences: Iterable[str] = (),
) -> Course:
    competences = list(competences)
    _validate_course(
        title=title,
        hours=hours,
        attendance_threshold=attendance_threshold,
        competences=competences,
    )
    course = Course.objects.create(
        school=school,
        topic=topic,
        title=title,
        hours=hours,
        summary=summary,
        description=description,
        level=level,
        target_group=target_group,
        learning_outcomes=learning_outcomes,
        prerequisites=prerequisites,
        instruction_plan=instruction_plan,
        attendance_threshold=attendance_threshold,
        is_active=is_active,
        competences=framework.ordered(competences),
    )
    _set_equipment_types(course, equipment_types)
    audit(actor=actor, action="course.created", obj=course, title=course.title)
    return course


@transaction.atomic
def update_course(
    *,
    course: Course,
    actor: User | None,
    topic: Topic | Unset = UNSET,
    title: str | Unset = UNSET,
    hours: Decimal | Unset = UNSET,
    summary: str | Unset = UNSET,
    description: str | Unset = UNSET,
    level: str | Unset = UNSET,
    target_group: str | Unset = UNSET,
    learning_outcomes: str | Unset = UNSET,
    prerequisites: str | Unset = UNSET,
    instruction_plan: str | Unset = UNSET,
    attendance_threshold: int | Unset = UNSET,
    is_active: bool | Unset = UNSET,
    equipment_types: Iterable[EquipmentType] | Unset = UNSET,
    competences: Iterable[str] | Unset = UNSET,
) -> Course:
    """Change the fields passed; the others keep their values."""
    if competences is not UNSET:
        competences = list(competences)
    fields = passed(
        topic=topic,
        title=title,
        hours=hours,
        summary=summary,
        description=description,
        level=level,
        target_group=target_group,
        learning_outcomes=learning_outcomes,
        prerequisites=prerequisites,
        instruction_plan=instruction_plan,
        attendance_threshold=attendance_threshold,
        is_active=is_active,
        competences=UNSET if competences is UNSET else framework.ordered(competences),
    )
    _validate_course(
        title=title,
        hours=hours,
        attendance_threshold=attendance_threshold,
        competences=competences,
    )
    for name, value in fields.items():
        setattr(course, name, value)
    course.save()
    if equipment_types is not UNSET:
        _set_equipment_types(course, equipment_types)
    audit(actor=actor, action="course.updated", obj=course, fields=sorted(fields))
    return course
