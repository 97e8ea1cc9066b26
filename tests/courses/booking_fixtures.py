"""Shared set-up for the booking tests: a bookable run with sessions, and trainees."""

from allauth.account.models import EmailAddress

from courses.models import Enrolment
from tests.factories import CourseRunFactory, SessionFactory, WorkshopFactory, trainee
from tests.timeutils import day_at


def make_run(*, capacity=2, day=21, sessions=2, **kwargs):
    """A published run, bookable now, with `sessions` sessions of 4 hours on consecutive days."""
    workshop = kwargs.pop("workshop", None) or WorkshopFactory(seats=30)
    run = CourseRunFactory(
        capacity=capacity,
        min_participants=0,
        workshop=workshop,
        school=workshop.school,
        course__school=workshop.school,
        starts_at=day_at(day, 8),
        ends_at=day_at(day + sessions - 1, 12),
        **kwargs,
    )
    for i in range(sessions):
        SessionFactory(run=run, start=day_at(day + i, 8), end=day_at(day + i, 12))
    return run


def verified_trainee(**kwargs):
    user = trainee(**kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def statuses(run) -> list[str]:
    """The statuses of a run's enrolments in booking order."""
    return list(Enrolment.objects.filter(run=run).order_by("id").values_list("status", flat=True))
