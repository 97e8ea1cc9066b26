"""Sessions of a run: plan one, plan a series, move one, cancel one. The planning service checks
the conflicts (room, instructor, equipment) and names them on the field at fault."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import access
from core.errors import DomainError

from ...forms.staff import SeriesForm, SessionForm
from ...models import CourseRun, Session
from ...services import planning


def _session_kwargs(data: dict) -> dict:
    return {
        "workshop": data.get("workshop"),
        "instructor": data.get("instructor"),
        "equipment": list(data.get("equipment") or []),
    }


@access("courses.manage_run", model=CourseRun.objects.select_related("course"), url_kwarg="run_id")
def session_create(request, obj):
    run = obj
    form = SessionForm(request.POST or None, run=run)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            planning.add_session(
                run=run,
                start=planning.local_datetime(data["day"], data["start_time"]),
                end=planning.local_datetime(data["day"], data["end_time"]),
                actor=request.user,
                use_run_instructor=False,
                **_session_kwargs(data),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Der Termin wurde geplant."))
            return redirect("courses:staff_run_detail", pk=run.pk)
    return render(request, "staff/session_form.html", {"form": form, "run": run, "session": None})


@access("courses.manage_run", model=Session.objects.select_related("run__course"))
def session_edit(request, obj):
    session = obj
    run = session.run
    local_start, local_end = timezone.localtime(session.start), timezone.localtime(session.end)
    initial = {
        "day": local_start.date(),
        "start_time": local_start.time(),
        "end_time": local_end.time(),
        "workshop": session.workshop_id,
        "instructor": session.instructor_id,
        "equipment": list(
            session.reservations.filter(is_active=True).values_list("equipment_id", flat=True)
        ),
    }
    form = SessionForm(request.POST or None, run=run, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            planning.update_session(
                session=session,
                start=planning.local_datetime(data["day"], data["start_time"]),
                end=planning.local_datetime(data["day"], data["end_time"]),
                actor=request.user,
                **_session_kwargs(data),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Der Termin wurde geändert."))
            return redirect("courses:staff_run_detail", pk=run.pk)
    return render(
        request, "staff/session_form.html", {"form": form, "run": run, "session": session}
    )


@access("courses.manage_run", model=Session)
@require_POST
def session_cancel(request, obj):
    session = obj
    try:
        planning.cancel_session(session=session, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Der Termin wurde abgesagt."))
    return redirect("courses:staff_run_detail", pk=session.run_id)


@access("courses.manage_run", model=CourseRun.objects.select_related("course"), url_kwarg="run_id")
def series_create(request, obj):
    run = obj
    form = SeriesForm(request.POST or None, run=run)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sessions = planning.create_series(
                run=run,
                actor=request.user,
                first_date=data["first_date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                frequency=data["frequency"],
                until=data.get("until"),
                count=data.get("count"),
                skip_dates=data.get("skip_dates") or [],
                **_session_kwargs(data),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("%(n)s Termine wurden geplant.") % {"n": len(sessions)})
            return redirect("courses:staff_run_detail", pk=run.pk)
    return render(request, "staff/series_form.html", {"form": form, "run": run})
