"""Plan a run from demand: a form prefilled from the board row or a course request; the draft run
is created by the service, then the coordinator adds sessions and publishes it in the planning
area, which tells the interested people (priority window)."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import access
from core.errors import DomainError
from core.validators import parse_id
from courses.models import Course
from workshops.models import Workshop

from ..forms import PlanRunForm
from ..models import CourseRequest, Interest
from ..services.planning import run_plan_from_demand

DEFAULT_CAPACITY = 12
BOOKING_DAYS = 28


def _prefill(course: Course, course_request: CourseRequest | None) -> dict:
    # Public booking opens DEMAND_PRIORITY_DAYS from now (on the full hour before), so the
    # priority window is open from the moment the run is published.
    opens = (timezone.localtime() + dt.timedelta(days=settings.DEMAND_PRIORITY_DAYS)).replace(
        minute=0, second=0, microsecond=0
    )
    closes = opens + dt.timedelta(days=BOOKING_DAYS)
    if course_request is not None:
        wanted = course_request.participants
    else:
        wanted = sum(
            Interest.objects.filter(Interest.active_q(timezone.now()), course=course).values_list(
                "participants", flat=True
            )
        )
    workshop = _usual_workshop(course)
    capacity = max(DEFAULT_CAPACITY, wanted)
    return {
        # What the demand asks for, as far as the room holds (the planning rule refuses more).
        "capacity": min(capacity, workshop.seats) if workshop is not None else capacity,
        "min_participants": 0,
        "booking_opens_at": opens,
        "booking_closes_at": closes,
        "cancellation_deadline": closes - dt.timedelta(days=2),
        "workshop": workshop,
    }


def _usual_workshop(course: Course):
    """Where the course ran last (its equipment is there), else the school's first workshop."""
    last = (
        Workshop.objects.filter(runs__course=course, is_active=True)
        .order_by("-runs__starts_at")
        .first()
    )
    return last or course.school.workshops.filter(is_active=True).order_by("name").first()


@access("demand.plan_run", model=Course.objects.select_related("school"), url_kwarg="course_id")
def plan_run(request, obj: Course):
    course = obj
    course_request = None
    request_id = parse_id(request.GET.get("request") or request.POST.get("request"))
    if request_id is not None:
        course_request = get_object_or_404(CourseRequest, pk=request_id)
        if not request.user.has_perm("demand.answer_request", course_request):
            raise PermissionDenied
    form = PlanRunForm(
        request.POST or None, course=course, initial=_prefill(course, course_request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            run = run_plan_from_demand(
                course=course,
                actor=request.user,
                course_request=course_request,
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _(
                    "Die Durchführung ist als Entwurf angelegt. Planen Sie die Termine und "
                    "veröffentlichen Sie sie: dann werden die Interessierten benachrichtigt."
                ),
            )
            return redirect("courses:staff_run_detail", pk=run.pk)
    return render(
        request,
        "demand/plan_run.html",
        {"course": course, "form": form, "course_request": course_request},
    )
