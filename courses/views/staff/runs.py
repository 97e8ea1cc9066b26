"""Runs of the coordinator's schools: list, create (for any course or one course), edit, the run
page with its sessions and links to every area of the run, and the status actions."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import access
from core.errors import DomainError
from people.roles import managed_school_ids

from ...forms.staff import RunForm, RunStatusForm
from ...models import Course, CourseRun, SessionReservation
from ...selectors import staff_runs
from ...services import planning
from .participants import participant_context


@access("courses.plan_courses")
def run_list(request):
    runs = staff_runs(managed_school_ids(request.user)).order_by("-starts_at", "-id")
    status = request.GET.get("status", "")
    if status in CourseRun.Status.values:
        runs = runs.filter(status=status)
    page = Paginator(runs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/run_list.html",
        {"page": page, "status": status, "statuses": CourseRun.Status.choices},
    )


def _create(request, *, course: Course | None):
    """The new-run form. Its course choices are the courses of the user's own schools, so the
    chosen one is theirs to manage."""
    initial = {}
    if course is not None:
        initial = {"course": course, "capacity": 12, "min_participants": 0}
    form = RunForm(
        request.POST or None,
        school_ids=managed_school_ids(request.user),
        fixed_course=course,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("course")
        try:
            run = planning.create_run(course=chosen, actor=request.user, **data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Die Kursdurchführung wurde als Entwurf angelegt."))
            return redirect("courses:staff_run_detail", pk=run.pk)
    return render(request, "staff/run_form.html", {"form": form, "run": None, "course": course})


@access("courses.plan_courses")
def run_create(request):
    return _create(request, course=None)


@access("courses.manage_course", model=Course, url_kwarg="course_id")
def run_create_for(request, obj):
    return _create(request, course=obj)


@access("courses.manage_run", model=CourseRun.objects.select_related("course"))
def run_edit(request, obj):
    run = obj
    form = RunForm(
        request.POST or None,
        school_ids=[run.school_id],
        fixed_course=run.course,
        initial=RunForm.initial_for(run),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("course", None)
        try:
            planning.update_run(run=run, actor=request.user, **data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Die Kursdurchführung wurde gespeichert."))
            return redirect("courses:staff_run_detail", pk=run.pk)
    return render(request, "staff/run_form.html", {"form": form, "run": run, "course": run.course})


@access("courses.manage_run", model=lambda request: staff_runs())
def run_detail(request, obj):
    run = obj
    sessions = run.sessions.select_related("workshop", "instructor").prefetch_related(
        Prefetch(
            "session_reservations",
            queryset=SessionReservation.objects.select_related("reservation__equipment__type"),
        )
    )
    enrolment_counts = dict(run.enrolments.order_by().values_list("status").annotate(n=Count("id")))
    return render(
        request,
        "staff/run_detail.html",
        {
            "run": run,
            "sessions": sessions,
            "enrolment_counts": enrolment_counts,
            "at_risk": run.status == CourseRun.Status.PUBLISHED and run.confirmed > run.seats,
            "status_form": RunStatusForm(),
            "needs": run.course.equipment_needs.select_related("equipment_type"),
            # Links to the other areas (completion, certificates, exports, reports) are shown
            # only to whoever may open them; manage_run (declared above) covers completion and
            # the ÜLU report, the others have perms of their own.
            "can_issue_certificates": request.user.has_perm("certificates.issue_certificate", run),
            "can_view_participants": request.user.has_perm("courses.view_run_participants", run),
            **participant_context(request, run),
        },
    )


@access("courses.manage_run", model=CourseRun.objects.select_related("course", "workshop"))
def run_delete(request, obj):
    """Asks first (GET), deletes on POST; a run that may not be deleted says why."""
    run = obj
    try:
        planning.check_run_deletable(run)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("courses:staff_run_detail", pk=run.pk)
    if request.method == "POST":
        try:
            planning.delete_draft_run(run=run, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("courses:staff_run_detail", pk=run.pk)
        messages.success(request, _("Der Entwurf wurde gelöscht."))
        return redirect("courses:staff_run_list")
    return render(
        request,
        "staff/run_delete.html",
        {"run": run, "sessions": run.sessions.count()},
    )


@access("courses.manage_run", model=CourseRun)
@require_POST
def run_status(request, obj):
    run = obj
    form = RunStatusForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("courses:staff_run_detail", pk=run.pk)
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    done = {
        "publish": _("Der Kurs ist veröffentlicht."),
        "unpublish": _("Der Kurs ist wieder ein Entwurf."),
        "complete": _("Der Kurs ist abgeschlossen."),
        "cancel": _("Der Kurs wurde abgesagt; die Teilnehmenden werden benachrichtigt."),
    }
    try:
        if action == "publish":
            planning.publish_run(run=run, actor=request.user)
        elif action == "unpublish":
            planning.unpublish_run(run=run, actor=request.user)
        elif action == "complete":
            planning.complete_run(run=run, actor=request.user)
        else:
            planning.cancel_run(run=run, actor=request.user, reason=reason)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done[action])
    return redirect("courses:staff_run_detail", pk=run.pk)
