"""Coordinator review of a run's completion: attended hours per participant, the outcome the rule
gave, and a form to correct it before certificates go out."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.access import access
from core.errors import DomainError

from ..forms.completion import OUTCOMES, CorrectionForm
from ..models import CourseRun, Enrolment
from ..services import completion


@access("courses.manage_run", model=CourseRun.objects.select_related("course", "school"))
def run_completion(request, obj):
    run = obj
    if request.method == "POST":
        try:
            if request.POST.get("action") == "complete":
                completion.complete_run(
                    run=run,
                    actor=request.user,
                    close_missing=request.POST.get("close_missing") == "1",
                )
                messages.success(
                    request, _("Der Kurs ist abgeschlossen. Bitte prüfen Sie die Ergebnisse.")
                )
            else:
                form = CorrectionForm(request.POST)
                if not form.is_valid():
                    messages.error(request, _("Bitte wählen Sie ein gültiges Ergebnis."))
                    return redirect(request.path)
                enrolment = get_object_or_404(Enrolment, pk=form.cleaned_data["enrolment"], run=run)
                completion.set_completion_status(
                    enrolment=enrolment,
                    status=form.cleaned_data["status"],
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(
                    request,
                    _("Ergebnis für %(name)s geändert.") % {"name": enrolment.participant_name},
                )
        except DomainError as err:
            messages.error(request, err.message)
        return redirect(request.path)

    total, present = completion.attendance_minutes(run)
    rows = []
    enrolments = (
        Enrolment.objects.filter(run=run)
        .exclude(status__in=[Enrolment.Status.CANCELLED, Enrolment.Status.WAITLISTED])
        .order_by("participant_name", "id")
    )
    for e in enrolments:
        attended, ever = present.get(e.pk, (0, False))
        rows.append(
            {
                "enrolment": e,
                "hours": round(attended / 60, 1),
                "percent": round(attended * 100 / total) if total else 0,
                "suggested": completion.outcome(
                    attended=attended,
                    total=total,
                    ever_present=ever,
                    threshold=run.course.attendance_threshold,
                ),
                "correctable": e.status in completion.FINAL_STATUSES,
            }
        )
    return render(
        request,
        "courses/completion.html",
        {
            "run": run,
            "rows": rows,
            "total_hours": round(total / 60, 1),
            "threshold": run.course.attendance_threshold,
            "outcomes": OUTCOMES,
            "last_end": completion.last_session_end(run),
            "missing": completion.missing_attendance(run)
            if run.status == CourseRun.Status.PUBLISHED
            else [],
            "can_issue_certificates": request.user.has_perm("certificates.issue_certificate", run),
        },
    )
