"""Coordinator review of a run's completion: attended hours per participant, the outcome the rule
gave, and a form to correct it before certificates go out."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError

from ..models import CourseRun, Enrolment
from ..services import completion

OUTCOMES = [(s, Enrolment.Status(s).label) for s in Enrolment.Status.OUTCOMES]


class CorrectionForm(forms.Form):
    enrolment = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=gettext_lazy("Ergebnis"), choices=OUTCOMES)
    reason = forms.CharField(label=gettext_lazy("Begründung"), max_length=200, required=False)


def _run(request, pk) -> CourseRun:
    run = get_object_or_404(CourseRun.objects.select_related("course", "school"), pk=pk)
    if not request.user.has_perm("courses.manage_run", run):
        raise Http404
    return run


@login_required
def run_completion(request, pk):
    run = _run(request, pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "complete":
                completion.complete_run(run=run, actor=request.user)
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
            "can_issue_certificates": request.user.has_perm("certificates.issue_certificate", run),
        },
    )
