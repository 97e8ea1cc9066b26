"""A bookable course run of the public catalogue as a MOOChub v3 course resource (JSON:API).

Checked against the official MOOChub schema v3.0.1 (tests/vendor/moochub) with format checking."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape, linebreaks

from core.formatting import iso
from core.links import absolute_url
from courses import competences
from courses.hours import hours_per_day, run_hours, scheduled_sessions
from courses.models import Course, CourseRun

# The version of the MOOChub schema this feed follows: the media type's parameter says it
# (moochub-versioning.md of the MOOChub schema repository).
MOOCHUB_VERSION = "3.0.1"
MEDIA_TYPE = "application/vnd.api+json"

# MOOChub only admits HCRT "course" as the resource type.
LEARNING_RESOURCE_TYPE = {
    "identifier": "https://w3id.org/kim/hcrt/course",
    "type": "Concept",
    "inScheme": "https://w3id.org/kim/hcrt/scheme",
}

# The schema requires a framework for levels (ESCO, DigComp or GRETA). Our courses teach digital
# skills, and our three levels are DigComp 2.2's proficiency groups by name: Foundation (levels
# 1-2), Intermediate (3-4) and Advanced (5-6); the short code is the group's upper level.
DIGCOMP_LEVELS = {
    Course.Level.BEGINNER: ("Foundation", "Grundlegend", "2"),
    Course.Level.INTERMEDIATE: ("Intermediate", "Selbstständig", "4"),
    Course.Level.ADVANCED: ("Advanced", "Fortgeschritten", "6"),
}

# No open licence has been granted for the catalogue texts: "proprietary" with no licence URL,
# as MOOChub asks for in that case.
LICENSE = [{"identifier": "proprietary", "url": None}]


def resource_id(run: CourseRun) -> str:
    """A stable UUID for the run (the same on every request and every page): version 5 in a
    namespace of this site, so two installations never share ids."""
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, settings.SITE_URL)
    return str(uuid.uuid5(namespace, f"course-runs/{run.pk}"))


def iso_duration(hours: Decimal) -> str:
    """ISO 8601 duration of the teaching time, e.g. PT16H or PT7H30M."""
    minutes = int((hours * 60).to_integral_value())
    h, m = divmod(minutes, 60)
    return f"PT{h}H{m}M" if m else f"PT{h}H"


def _level(course: Course) -> list[dict]:
    english, german, code = DIGCOMP_LEVELS[course.level]
    return [
        {
            "type": "EducationalLevel",
            "name": [{"inLanguage": "en", "name": english}, {"inLanguage": "de", "name": german}],
            "shortCode": code,
            "educationalFramework": "DigComp",
            "educationalFrameworkVersion": "2.2",
        }
    ]


def _teaches(course: Course) -> list[dict]:
    """The course's DigComp 2.2 competences as MOOChub Skills: the framework's English title
    and ours in German, the competence number as short code, the framework document as `url`
    (DigComp publishes no node per competence, so no `targetUrl`)."""
    digcomp = competences.framework()
    return [
        {
            "name": [{"inLanguage": "en", "name": c.en}, {"inLanguage": "de", "name": c.de}],
            "shortCode": c.code,
            "educationalFramework": digcomp.name,
            "educationalFrameworkVersion": digcomp.version,
            "url": digcomp.url,
            "targetUrl": None,
        }
        for c in competences.competences_of(course.competences)
    ]


def _description(course: Course) -> str:
    """HTML, as the schema asks: the text, then the learning outcomes as a list (free text;
    `teaches` carries the course's competences of a framework)."""
    html = linebreaks(course.description)
    outcomes = course.learning_outcome_list
    if outcomes:
        items = "".join(f"<li>{escape(line)}</li>" for line in outcomes)
        html += f"<ul>{items}</ul>"
    return html


def run_resource(run: CourseRun) -> dict:
    """Expects course, school and topic loaded and the scheduled sessions prefetched."""
    course, school = run.course, run.school
    sessions = scheduled_sessions(run)
    organization = {"type": "Organization", "name": school.name, "url": absolute_url("/")}
    address = {"addressCountry": "DE", "city": school.city}
    if school.street:
        address["streetAddress"] = school.street
    if school.postal_code:
        address["postalCode"] = school.postal_code
    address["description"] = run.workshop.name
    title = f"{course.title} {run.title_suffix}".strip()
    price = run.price_business
    return {
        "type": "Course",
        "id": resource_id(run),
        "attributes": {
            "name": title,
            "courseCode": f"{school.code}-{course.pk}-{run.pk}",
            "learningResourceType": LEARNING_RESOURCE_TYPE,
            "courseMode": ["onsite"],
            "description": _description(course),
            "inLanguage": ["de"],
            "startDate": [iso(timezone.localtime(sessions[0].start))] if sessions else None,
            "endDate": [iso(timezone.localtime(sessions[-1].end))] if sessions else None,
            "duration": iso_duration(run_hours(run, sessions)),
            "workload": {
                "timeValue": int(hours_per_day(run, sessions).to_integral_value()),
                "timeUnit": "h/day",
            },
            "educationalLevel": _level(course),
            "teaches": _teaches(course),
            "keywords": [course.topic.name],
            "contentLocation": {"name": school.name, "address": address},
            "publisher": organization,
            "creator": [organization],
            "url": absolute_url("courses:run", run.pk),
            "license": LICENSE,
            "access": ["paid"] if price > 0 else ["free"],
            "offer": [
                {
                    "price": float(price),
                    "priceCurrency": "EUR",
                    "paymentFrequency": "one-time",
                    "category": "complete",
                }
            ],
            "applicationDeadline": iso(timezone.localtime(run.booking_closes_at)),
            "dateModified": iso(timezone.localtime(max(run.updated_at, course.updated_at))),
        },
    }
