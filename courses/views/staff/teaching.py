"""The instructor's read-only page of a run they teach: dates, sessions with their attendance
links, and the participants (name, business, status, attendance so far). Changes to bookings
are the coordinator's, on the planning page."""

from django.shortcuts import render
from django.utils import timezone

from core.access import access

from ...models import CourseRun, Session
from ...selectors_teaching import held_sessions, participants_with_attendance
from ...services.attendance import attendance_is_open


@access(
    "courses.view_taught_run",
    model=CourseRun.objects.select_related("course", "school", "workshop", "instructor"),
)
def taught_run(request, obj):
    run = obj
    now = timezone.now()
    sessions = list(
        run.sessions.filter(status=Session.Status.SCHEDULED)
        .select_related("workshop", "instructor")
        .order_by("start")
    )
    for session in sessions:
        session.attendance_open = attendance_is_open(session, now=now)
    return render(
        request,
        "staff/taught_run.html",
        {
            "run": run,
            "sessions": sessions,
            "participants": participants_with_attendance(run),
            "held": held_sessions(run, now=now),
            "can_manage": request.user.has_perm("courses.manage_run", run),
        },
    )
