"""A course of the public catalogue as a MOOChub v3 resource (JSON:API)."""

from decimal import Decimal

from django.utils import timezone

from core.formatting import iso
from core.links import absolute_url
from courses.models import Course, CourseRun

LEVELS = {"beginner": "Beginner", "intermediate": "Intermediate", "advanced": "Advanced"}


def iso_duration(hours: Decimal) -> str:
    """ISO 8601 duration of the teaching time, e.g. PT16H or PT7H30M."""
    minutes = int(hours * 60)
    h, m = divmod(minutes, 60)
    return f"PT{h}H{m}M" if m else f"PT{h}H"


def course_resource(course: Course, runs: list[CourseRun]) -> dict:
    """The course with its bookable runs (soonest first); its URL is the first run's page."""
    url = absolute_url("courses:run", runs[0].pk) if runs else absolute_url("/")
    school = course.school
    publisher = {"name": school.name, "type": "Organization", "url": absolute_url("/")}
    return {
        "type": "Course",
        "id": f"lernwerkstatt-course-{course.pk}",
        "attributes": {
            "name": course.title,
            "courseCode": f"{school.code}-{course.pk}",
            "courseMode": ["onsite"],
            "abstract": course.summary or None,
            "description": course.description,
            "learningObjectives": course.learning_outcome_list,
            "url": url,
            "languages": ["de"],
            "startDate": [iso(timezone.localtime(r.starts_at)) for r in runs if r.starts_at],
            "endDate": [iso(timezone.localtime(r.ends_at)) for r in runs if r.ends_at],
            "duration": iso_duration(course.hours),
            "workload": {"timeValue": float(course.hours), "timeUnit": "h"},
            "educationalLevel": [
                {"name": LEVELS.get(course.level, course.level), "shortCode": course.level}
            ],
            "keywords": [course.topic.name],
            "location": [
                {
                    "type": "Place",
                    "name": school.name,
                    "address": " ".join(
                        p for p in (school.street, school.postal_code, school.city) if p
                    ),
                }
            ],
            "publisher": publisher,
            "provider": publisher,
            "access": ["paid"] if any(r.price_business > 0 for r in runs) else ["free"],
            "prerequisites": [course.prerequisites] if course.prerequisites else [],
            "dateModified": iso(timezone.localtime(course.updated_at)),
        },
    }
