"""Demo data for demand, added when `manage.py seed_demo` has built the district (the
`demo_seeded` signal): interest on courses without a run, course requests from businesses, and
feedback on completed runs, all through the services. Safe to run again: interests are renewed,
requests and answers are not added twice."""

import datetime as dt
import random
from collections.abc import Callable

from courses.models import Course, CourseRun, Enrolment
from people.models import Membership, User

from .models import CourseRequest, FeedbackReceipt
from .models.feedback import ELIGIBLE_STATUSES, FIXED_QUESTIONS
from .services.feedback import feedback_submit
from .services.interest import interest_register
from .services.requests import request_answer, request_create

TRAINEE_EMAIL = "azubi@demo.example"
COMMENTS = [
    "Sehr praxisnah, gerne mehr Zeit an den Geräten.",
    "Gut erklärt, die Unterlagen waren hilfreich.",
    "",
    "Der Raum war etwas eng, sonst prima.",
    "Ich kann das Gelernte direkt im Betrieb anwenden.",
    "",
]
REQUESTS = [
    ("SPS-Programmierung an Samstagen", "Unsere Gesellen können nur samstags.", 4, False),
    ("Lasergravur für Holzoberflächen", "Gern als Tageskurs im Frühjahr.", 3, True),
]


def seed(*, rng: Callable[..., random.Random], now: dt.datetime) -> None:
    _interests(rng("demand", "interest"), now)
    _requests(now)
    _feedback(rng("demand", "feedback"))


def _interests(rng: random.Random, now: dt.datetime) -> None:
    # The same courses on every run of the seed, so that running it again adds nothing.
    courses = list(Course.objects.filter(is_active=True).order_by("title", "pk")[:4])
    trainees = list(
        User.objects.filter(trainee_profile__isnull=False, is_active=True).order_by("pk")[:40]
    )
    if not courses or not trainees:
        return
    demo = next((t for t in trainees if t.email == TRAINEE_EMAIL), None)
    if demo is not None:
        interest_register(user=demo, course=courses[0], now=now)
    for course in courses:
        for user in rng.sample(trainees, k=min(len(trainees), rng.randint(3, 9))):
            interest_register(user=user, course=course, now=now)
    contact = _contacts().first()
    if contact is not None:
        interest_register(
            user=contact.user,
            course=courses[-1],
            business=contact.business,
            participants=3,
            now=now,
        )


def _contacts():
    return (
        Membership.objects.filter(role=Membership.Role.BUSINESS_CONTACT)
        .select_related("user", "business")
        .order_by("pk")
    )


def _requests(now: dt.datetime) -> None:
    course = Course.objects.filter(is_active=True).order_by("title", "pk").first()
    if course is None:
        return
    coordinator = (
        Membership.objects.filter(role=Membership.Role.COORDINATOR, school=course.school)
        .select_related("user")
        .first()
    )
    contact = _contacts().first()
    if contact is None:
        return
    for title, message, people, answered in REQUESTS:
        if CourseRequest.objects.filter(business=contact.business, title=title).exists():
            continue
        created = request_create(
            actor=contact.user,
            business=contact.business,
            topic=course.topic,
            title=title,
            message=message,
            participants=people,
            school=course.school,
            preferred_months=[(now + dt.timedelta(days=60)).strftime("%Y-%m")],
        )
        if answered and coordinator is not None:
            request_answer(
                course_request=created,
                actor=coordinator.user,
                answer="Danke! Wir planen einen Termin im Frühjahr und melden uns.",
            )


def _feedback(rng: random.Random) -> None:
    runs = CourseRun.objects.filter(status=CourseRun.Status.COMPLETED).order_by("pk")
    for run in runs:
        enrolments = (
            Enrolment.objects.filter(
                run=run, status__in=ELIGIBLE_STATUSES, participant__isnull=False
            )
            .exclude(pk__in=FeedbackReceipt.objects.values("enrolment_id"))
            .select_related("run", "participant")
            .order_by("pk")
        )
        for enrolment in enrolments:
            feedback_submit(
                enrolment=enrolment,
                actor=enrolment.participant,
                scores={field: rng.choice([3, 4, 4, 5, 5]) for field, _label in FIXED_QUESTIONS},
                comment=rng.choice(COMMENTS),
            )
