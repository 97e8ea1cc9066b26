"""Instructors' side of a session: their sessions and the attendance list (one participant per
htmx request, or everyone not yet marked at once). The check-in projector page is in
checkin.py, the instructor's read-only run page in teaching.py."""

import datetime as dt

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.access import access
from core.errors import DomainError

from ...forms.staff import AttendanceForm
from ...models import Attendance, Enrolment, Session
from ...selectors import sessions_between
from ...selectors_teaching import taught_runs
from ...services import attendance as attendance_service
from .resources import attendance_extras

SESSIONS = Session.objects.select_related("run__course", "run__school", "workshop", "instructor")


@access("people.access_staff_area")
def my_sessions(request):
    now = timezone.now()
    sessions = sessions_between(
        start=now - dt.timedelta(days=14), end=now + dt.timedelta(days=180), instructor=request.user
    ).annotate(marked=Count("attendances"))
    return render(
        request,
        "staff/my_sessions.html",
        {"sessions": sessions, "now": now, "runs": taught_runs(request.user, now=now)},
    )


def _attendance_rows(session):
    enrolments = (
        Enrolment.objects.filter(
            run_id=session.run_id, status__in=attendance_service.ATTENDING_STATUSES
        )
        .select_related("participant")
        .order_by("participant_name", "participant__last_name", "id")
    )
    marks = {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}
    return [{"enrolment": e, "attendance": marks.get(e.pk)} for e in enrolments]


def _count(session) -> dict:
    """ "x von y anwesend": the participants expected and those marked present."""
    expected = Enrolment.objects.filter(
        run_id=session.run_id, status__in=attendance_service.ATTENDING_STATUSES
    )
    present = Attendance.objects.filter(
        session=session, status=Attendance.Status.PRESENT, enrolment__in=expected
    ).count()
    return {"present": present, "expected": expected.count()}


def run_link(user, run) -> str:
    """The run page the user may open: the planning page for its coordinators, the read-only
    page for its instructors."""
    if user.has_perm("courses.manage_run", run):
        return reverse("courses:staff_run_detail", args=[run.pk])
    return reverse("courses:staff_taught_run", args=[run.pk])


@access("courses.take_attendance", model=SESSIONS)
def attendance_page(request, obj):
    session = obj
    return render(
        request,
        "staff/attendance.html",
        {
            "session": session,
            "rows": _attendance_rows(session),
            "form": AttendanceForm(),
            "is_open": attendance_service.attendance_is_open(session),
            "opens_at": attendance_service.attendance_opens_at(session),
            "count": _count(session),
            "run_url": run_link(request.user, session.run),
            **attendance_extras(session),
        },
    )


@access("courses.take_attendance", model=SESSIONS)
@require_POST
def attendance_all_present(request, obj):
    session = obj
    try:
        marked = attendance_service.mark_all_present(session=session, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s Person als anwesend erfasst.",
                "%(n)s Personen als anwesend erfasst.",
                marked,
            )
            % {"n": marked}
            if marked
            else _("Alle Teilnehmenden hatten schon eine Angabe; nichts geändert."),
        )
    return redirect("courses:staff_attendance", pk=session.pk)


@access("courses.take_attendance", model=SESSIONS)
@require_POST
def attendance_mark(request, obj, enrolment_id):
    """One participant's mark; htmx swaps just that row (and the count), without htmx the page
    reloads."""
    session = obj
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("participant", "business"),
        pk=enrolment_id,
        run_id=session.run_id,
    )
    form = AttendanceForm(request.POST)
    error = None
    attendance = Attendance.objects.filter(session=session, enrolment=enrolment).first()
    if form.is_valid():
        try:
            attendance = attendance_service.record_attendance(
                session=session,
                enrolment=enrolment,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                minutes=form.cleaned_data["minutes"],
                actor=request.user,
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    if request.htmx:
        # 200 even for an error: htmx swaps only 2xx responses, and the row must show the message.
        return render(
            request,
            "staff/_attendance_mark.html",
            {
                "session": session,
                "row": {"enrolment": enrolment, "attendance": attendance},
                "error": error,
                "saved": error is None,
                "is_open": True,
                "count": _count(session),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Gespeichert."))
    return redirect("courses:staff_attendance", pk=session.pk)
