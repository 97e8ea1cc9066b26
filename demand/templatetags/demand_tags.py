"""The "notify me" panel that the courses run page includes (`{% demand_panel run state mine %}`),
and its course-page variant (`{% demand_course_panel course %}`):
courses' template names it, courses' code does not import demand. Two queries at most."""

from django import template
from django.utils import timezone

from ..models.interest import priority_window
from ..selectors.interest import has_priority, open_interest

register = template.Library()


@register.inclusion_tag("demand/_panel.html", takes_context=True)
def demand_panel(context, run, state: str, mine=None):
    request = context.get("request")
    user = getattr(request, "user", None)
    now = timezone.now()
    interest = open_interest(user, run.course) if user is not None else None
    early = (
        state == "not_open"
        and mine is None
        and user is not None
        and user.is_authenticated
        and has_priority(run=run, participant=user, now=now)
    )
    window = priority_window(run) if early else None
    return {
        "request": request,
        "user": user,
        "run": run,
        "course": run.course,
        "show_notify": state != "book" and mine is None,
        "interest": interest,
        "interest_active": interest is not None and interest.is_active(now),
        "early": early,
        "window_end": window[1] if window else None,
        "verified": context.get("verified", False),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("demand/_panel.html", takes_context=True)
def demand_course_panel(context, course):
    """On the course page: ask to be told about new runs (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    interest = open_interest(user, course) if user is not None else None
    return {
        "request": request,
        "user": user,
        "course": course,
        "show_notify": course.is_active,
        "interest": interest,
        "interest_active": interest is not None and interest.is_active(timezone.now()),
        "early": False,
    }
