"""Reads about interest: a person's own list, what the run page shows them, and the priority
window the booking service asks about (through courses.signals.early_booking)."""

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from courses.models import Course, CourseRun

from ..models import Interest, InterestNotification
from ..models.interest import priority_window


def my_interests(user) -> QuerySet[Interest]:
    """The user's interests that are not withdrawn, newest first, with course and school."""
    return (
        Interest.objects.filter(user=user, withdrawn_at__isnull=True)
        .select_related("course__school", "course__topic", "business")
        .order_by("expires_at", "id")
    )


def open_interest(user, course: Course) -> Interest | None:
    """The user's interest in the course that is not withdrawn (it may have expired)."""
    if not user.is_authenticated:
        return None
    return Interest.objects.filter(user=user, course=course, withdrawn_at__isnull=True).first()


def has_priority(*, run: CourseRun, participant, booked_by=None, now: dt.datetime) -> bool:
    """May this participant book the run now, before its public opening? Yes inside the run's
    priority window, when they (or the business contact booking them, for their business) were
    told about this run through an interest they have not withdrawn. One query."""
    window = priority_window(run)
    if window is None or not (window[0] <= now < window[1]):
        return False
    holders = Q(interest__user=participant)
    if booked_by is not None and booked_by != participant:
        holders |= Q(interest__user=booked_by, interest__business__trainees__user=participant)
    return InterestNotification.objects.filter(
        holders, run=run, interest__withdrawn_at__isnull=True
    ).exists()


def interest_per_course(*, now: dt.datetime, chamber_id: int) -> QuerySet[Course]:
    """Active courses with active interest, annotated with `interest_entries`,
    `interested_people` and `member_people`: people from the chamber's member businesses (an
    interest given for a business, or by an employee of one). One query; counts, never who."""
    active = Interest.active_q(now, prefix="interests__")
    member = Q(interests__business__chamber_id=chamber_id) | Q(
        interests__business__isnull=True,
        interests__user__trainee_profile__business__chamber_id=chamber_id,
    )
    return (
        Course.objects.filter(is_active=True)
        .annotate(
            interest_entries=Count("interests", filter=active),
            interested_people=Coalesce(Sum("interests__participants", filter=active), 0),
            member_people=Coalesce(Sum("interests__participants", filter=active & member), 0),
        )
        .filter(interest_entries__gt=0)
        .select_related("school", "topic")
        .order_by("pk")
    )
