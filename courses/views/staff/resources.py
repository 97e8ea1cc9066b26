"""Resources of runs: the report of energy and material per participant hour (a run, or every
run of a term), and from the attendance page the material a session used and the safety
briefings given in it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import access
from core.errors import DomainError
from core.validators import parse_id
from people.roles import managed_school_ids
from workshops.forms import PeriodForm
from workshops.forms_resources import UseForm

from ...models import CourseRun, Enrolment, Session
from ...selectors_resources import briefings_needed, run_resources, term_resources
from ...services.resources import brief_participants, record_session_material

SESSIONS = Session.objects.select_related("run__course", "run__school", "workshop")


@access("courses.manage_run", model=CourseRun.objects.select_related("course", "school"))
def run_resources_page(request, obj: CourseRun):
    return render(request, "staff/run_resources.html", {"report": run_resources(obj)})


@access("courses.plan_courses")
def term_resources_page(request):
    data = request.GET if request.GET else PeriodForm.default_initial()
    form = PeriodForm(data)
    reports = []
    if form.is_valid():
        reports = term_resources(
            managed_school_ids(request.user),
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
        )
    return render(request, "staff/term_resources.html", {"form": form, "reports": reports})


@access("courses.take_attendance", model=SESSIONS)
@require_POST
def session_material(request, obj: Session):
    form = UseForm(request.POST, school_ids=[obj.run.school_id], workshop_id=obj.workshop_id)
    if form.is_valid():
        try:
            record_session_material(
                session=obj,
                stock=form.cleaned_data["stock"],
                quantity=form.cleaned_data["quantity"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Der Materialverbrauch wurde eingetragen."))
    else:
        messages.error(request, _("Bitte Material und eine Menge größer als null angeben."))
    return redirect("courses:staff_attendance", pk=obj.pk)


@access("courses.take_attendance", model=SESSIONS)
@require_POST
def session_briefings(request, obj: Session):
    """Record the briefings given in this session for the participants ticked on the page, on
    the machine types each of them still lacked."""
    needed = briefings_needed(obj.run, on=timezone.localdate(obj.start))
    chosen = {parse_id(pk) for pk in request.POST.getlist("enrolment")} & set(needed)
    enrolments = Enrolment.objects.filter(pk__in=chosen).select_related("participant")
    count = 0
    try:
        for enrolment in enrolments:
            count += brief_participants(
                session=obj, enrolments=[enrolment], types=needed[enrolment.pk], actor=request.user
            )
    except DomainError as error:
        messages.error(request, error.message)
    if count:
        messages.success(request, _("%(n)s Unterweisungen wurden eingetragen.") % {"n": count})
    elif not chosen:
        messages.error(request, _("Bitte mindestens eine Person auswählen."))
    return redirect("courses:staff_attendance", pk=obj.pk)


def attendance_extras(session: Session) -> dict:
    """What the attendance page adds about resources: who still needs a safety briefing (to be
    given in this session) and the form for the material the session used."""
    needed = briefings_needed(session.run, on=timezone.localdate(session.start))
    enrolments = Enrolment.objects.filter(pk__in=list(needed)).select_related("participant")
    return {
        "briefing_rows": [
            {"enrolment": e, "types": needed[e.pk]}
            for e in sorted(enrolments, key=lambda e: (e.participant_name, e.pk))
        ],
        "material_form": UseForm(
            school_ids=[session.run.school_id], workshop_id=session.workshop_id
        ),
    }
