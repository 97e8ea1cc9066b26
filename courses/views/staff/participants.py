"""The participants of a run on the staff run page, and what the school's coordinators do with
them: book someone by hand, move a booking to another run of the course, give a waiting person a
free seat, cancel (also after the deadline, with a reason). Instructors see the list only.

Every action is a POST through a booking service; the destructive ones (move, cancel) first show
a page that asks, which also works without JavaScript."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import access
from core.errors import DomainError
from core.formatting import local_datetime

from ...forms.participants import BookByHandForm, CancelForm, MoveForm
from ...models import CourseRun, Enrolment
from ...selectors import waitlist_position
from ...selectors_participants import held_sessions, move_targets, run_messages, run_participants
from ...services import booking

RUNS = CourseRun.objects.select_related("course", "school")
ANCHOR = "#teilnehmende"


def _status_label(enrolment: Enrolment) -> str:
    if enrolment.status == Enrolment.Status.WAITLISTED:
        return _("Warteliste, Platz %(n)s") % {"n": enrolment.waitlist_position}
    if enrolment.status == Enrolment.Status.OFFERED:
        return _("Platz angeboten bis %(until)s") % {"until": local_datetime(enrolment.hold_until)}
    if enrolment.status == Enrolment.Status.PENDING:
        return _("Freigabe ausstehend, gehalten bis %(until)s") % {
            "until": local_datetime(enrolment.hold_until)
        }
    return enrolment.get_status_display()


def participant_context(request, run: CourseRun) -> dict:
    """What the run page's participant and message sections show (a fixed number of queries).
    `run` comes from selectors.staff_runs (seats annotated)."""
    rows = list(run_participants(run))
    for enrolment in rows:
        enrolment.status_label = _status_label(enrolment)
        enrolment.seated = enrolment.status in Enrolment.Status.SEATED
    active = [e for e in rows if e.status != Enrolment.Status.CANCELLED]
    return {
        "participants": active,
        "cancelled_participants": [e for e in rows if e.status == Enrolment.Status.CANCELLED],
        "held_sessions": held_sessions(run).count(),
        "can_manage_participants": request.user.has_perm("courses.manage_participants", run)
        and run.status not in CourseRun.Status.ENDED,
        "run_messages": run_messages(run)[:20],
    }


def _back(run: CourseRun):
    return redirect(reverse("courses:staff_run_detail", args=[run.pk]) + ANCHOR)


def _enrolment(run: CourseRun, pk: int) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.select_related("participant", "business", "run__course", "run__school"),
        run=run,
        pk=pk,
    )


def _booked_message(enrolment: Enrolment, created: bool) -> str:
    name = enrolment.participant_name
    if enrolment.status == Enrolment.Status.WAITLISTED:
        text = _(
            "Der Kurs ist ausgebucht: %(name)s steht jetzt auf Platz %(n)s der Warteliste."
        ) % {"name": name, "n": waitlist_position(enrolment)}
    elif enrolment.status == Enrolment.Status.PENDING:
        text = _(
            "%(name)s ist angemeldet; der Platz ist bis zur Freigabe durch den Betrieb reserviert."
        ) % {"name": name}
    else:
        text = _("%(name)s ist angemeldet, der Platz ist bestätigt.") % {"name": name}
    if created:
        text += " " + _(
            "Ein neues Konto wurde angelegt; die Person erhält eine E-Mail, wie sie ein "
            "Passwort festlegt."
        )
    return text


@access("courses.manage_participants", model=RUNS, url_kwarg="run_id")
def participant_add(request, obj):
    """Book someone by hand (a phone call, a paper form): an existing account by e-mail, or a
    new private participant."""
    run = obj
    form = BookByHandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment, created = booking.book_by_hand(
                run=run, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _booked_message(enrolment, created))
            return _back(run)
    return render(request, "staff/participant_add.html", {"run": run, "form": form})


@access("courses.manage_participants", model=RUNS, url_kwarg="run_id")
def participant_move(request, obj, pk: int):
    """Asks which run and "really?" on GET; moves on POST."""
    run = obj
    enrolment = _enrolment(run, pk)
    targets = move_targets(run)
    form = MoveForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            booking.move(enrolment=enrolment, target=target, actor=request.user)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s ist umgebucht auf %(run)s; die Person erhält eine E-Mail mit den "
                    "neuen Terminen."
                )
                % {"name": enrolment.participant_name, "run": target},
            )
            return _back(run)
    return render(
        request,
        "staff/participant_move.html",
        {"run": run, "enrolment": enrolment, "form": form, "has_targets": targets.exists()},
    )


@access("courses.manage_participants", model=RUNS, url_kwarg="run_id")
@require_POST
def participant_promote(request, obj, pk: int):
    run = obj
    enrolment = _enrolment(run, pk)
    try:
        enrolment = booking.promote(enrolment=enrolment, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if enrolment.status == Enrolment.Status.PENDING:
            text = _(
                "%(name)s ist von der Warteliste nachgerückt; der Platz ist bis zur Freigabe "
                "durch den Betrieb reserviert."
            )
        else:
            text = _("%(name)s ist von der Warteliste nachgerückt, der Platz ist bestätigt.")
        messages.success(request, text % {"name": enrolment.participant_name})
    return _back(run)


@access("courses.manage_participants", model=RUNS, url_kwarg="run_id")
def participant_cancel(request, obj, pk: int):
    """Asks "really?" with the reason on GET; cancels on POST. A seat needs a reason, taking
    someone off the waiting list does not."""
    run = obj
    enrolment = _enrolment(run, pk)
    waiting = enrolment.status in (Enrolment.Status.WAITLISTED,)
    form = CancelForm(request.POST or None, reason_required=not waiting)
    if request.method == "POST" and form.is_valid():
        try:
            booking.cancel_for(
                enrolment=enrolment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            if waiting:
                text = _("%(name)s steht nicht mehr auf der Warteliste.")
            else:
                text = _(
                    "Die Anmeldung von %(name)s ist storniert; die Person wird per E-Mail "
                    "informiert."
                )
            messages.success(request, text % {"name": enrolment.participant_name})
            return _back(run)
    return render(
        request,
        "staff/participant_cancel.html",
        {"run": run, "enrolment": enrolment, "form": form, "waiting": waiting},
    )
