"""The public side: run page and booking, "my courses", data export, account deletion and the
participant's self check-in (the catalogue is in catalogue.py). Views are thin: they declare
their access, parse input, call one service or selector, and turn domain errors into messages."""

from collections import defaultdict

from allauth.account.utils import has_verified_email
from django.contrib import messages
from django.contrib.auth import logout
from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import access
from core.errors import DomainError
from core.formatting import local_datetime

from ..forms.public import CheckInForm, DeleteAccountForm
from ..ical import build_calendar
from ..models import Attendance, BookingPhase, CalendarFeed, Course, CourseRun, Enrolment, Session
from ..selectors import (
    catalogue,
    waitlist_position,
    waitlist_position_expression,
    with_seats,
)
from ..services import booking, privacy
from ..services import checkin as checkin_service

# --- course page, run page and booking ------------------------------------------------------------


def booking_state(run: CourseRun, *, now=None) -> tuple[str, str]:
    """What the button on the run page will do: (state, label). The phase is the model's rule;
    this only words it for the button."""
    phase = run.booking_phase(now or timezone.now())
    if phase == BookingPhase.CANCELLED:
        return "cancelled", _("Kurs abgesagt")
    if phase == BookingPhase.COMPLETED:
        return "closed", _("Kurs beendet")
    if phase == BookingPhase.NOT_PUBLISHED:
        return "closed", _("Nicht buchbar")
    if phase == BookingPhase.NOT_OPEN:
        return "not_open", _("Buchung ab %(date)s möglich") % {
            "date": local_datetime(run.booking_opens_at)
        }
    if phase == BookingPhase.CLOSED:
        return "closed", _("Buchung geschlossen")
    if run.seats_left > 0:
        if run.requires_employer_approval:
            return "book", _("Platz reservieren (Freigabe durch den Betrieb)")
        return "book", _("Jetzt verbindlich buchen")
    return "waitlist", _("Auf die Warteliste (Platz %(n)s)") % {"n": run.waitlist_length + 1}


def _runs_with_seats(request):
    return with_seats(
        CourseRun.objects.select_related("course__topic", "school", "workshop", "instructor")
    )


@access("courses.view_course", model=Course.objects.select_related("topic", "school"), login=False)
def course_detail(request, obj):
    """A course with the runs one can book now; without any, the way to be told about new ones."""
    course = obj
    runs = catalogue().filter(course=course)
    equipment = course.equipment_needs.select_related("equipment_type")
    return render(
        request,
        "courses/course_detail.html",
        {"course": course, "runs": runs, "equipment": equipment},
    )


def run_notice(run: CourseRun, now) -> str:
    """What a visitor must know first about a run that is no longer ahead: said at the top of
    its page, so that nobody reads seats or dates of a course that will not take place."""
    if run.status == CourseRun.Status.CANCELLED:
        return _("Dieser Kurs wurde abgesagt.")
    if run.status == CourseRun.Status.COMPLETED or (run.ends_at and run.ends_at <= now):
        return _("Dieser Kurs hat bereits stattgefunden.")
    if run.starts_at and run.starts_at <= now:
        return _("Dieser Kurs hat bereits begonnen.")
    return ""


@access("courses.view_run", model=_runs_with_seats, private=True, login=False)
def run_detail(request, obj):
    run = obj
    sessions = run.sessions.select_related("workshop", "instructor").order_by("start")
    equipment = run.course.equipment_needs.select_related("equipment_type")
    mine = None
    if request.user.is_authenticated:
        mine = (
            Enrolment.objects.filter(
                run=run, participant=request.user, status__in=Enrolment.Status.ACTIVE
            )
            .order_by("-created_at")
            .first()
        )
    now = timezone.now()
    state, label = booking_state(run, now=now)
    return render(
        request,
        "courses/run_detail.html",
        {
            "run": run,
            "now": now,
            "notice": run_notice(run, now),
            "course": run.course,
            "sessions": sessions,
            "equipment": equipment,
            "mine": mine,
            "position": waitlist_position(mine) if mine else None,
            "state": state,
            "button_label": label,
            "can_book": state in ("book", "waitlist") and mine is None,
            "verified": request.user.is_authenticated and has_verified_email(request.user),
        },
    )


# The course comes along: the booking asks its requirements and names it in the e-mail.
@access("courses.view_run", load=booking.run_to_book, private=True)
def book_run(request, obj):
    run, pk = obj, obj.pk
    if request.method != "POST":
        # Where the login page sends someone who pressed the button while logged out.
        return redirect(run)
    if run.cancellation_deadline <= timezone.now() and not request.POST.get("late_ok"):
        # Past the free-cancellation deadline a booking binds at once: the person says so first.
        messages.error(
            request,
            _(
                "Die Frist für eine kostenlose Stornierung ist abgelaufen. Bitte bestätigen Sie, "
                "dass Sie verbindlich buchen möchten."
            ),
        )
        return redirect("courses:run", pk=pk)
    try:
        enrolment = booking.book(
            run=run,
            participant=request.user,
            source=Enrolment.Source.WEB,
            requirements_confirmed=request.POST.get("requirements_ok") == "1",
        )
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("courses:run", pk=pk)
    if enrolment.status == Enrolment.Status.CONFIRMED:
        messages.success(request, _("Sie sind angemeldet. Die Bestätigung kommt per E-Mail."))
    elif enrolment.status == Enrolment.Status.PENDING:
        messages.success(
            request,
            _("Ihr Platz ist reserviert. Ihr Betrieb wurde um Freigabe gebeten."),
        )
    else:
        messages.info(
            request,
            _("Der Kurs ist ausgebucht. Sie stehen auf Platz %(n)s der Warteliste.")
            % {"n": enrolment.booked_position},
        )
    return redirect("courses:run", pk=pk)


# --- my courses ----------------------------------------------------------------------------------


def _my_enrolments(user):
    qs = (
        Enrolment.objects.filter(participant=user)
        .select_related("run__course", "run__school", "business")
        .annotate(position=waitlist_position_expression())
        .prefetch_related(
            Prefetch(
                "run__sessions",
                queryset=Session.objects.select_related("workshop").order_by("start"),
            ),
            Prefetch("attendances", queryset=Attendance.objects.select_related("session")),
        )
        .order_by("-run__starts_at", "-id")
    )
    if hasattr(Enrolment, "certificates"):
        qs = qs.prefetch_related("certificates")
    return qs


@access()
def my_courses(request):
    now = timezone.now()
    enrolments = list(_my_enrolments(request.user))
    for e in enrolments:
        e.can_cancel = booking.can_cancel(enrolment=e, actor=request.user, now=now)
        past = [
            s for s in e.run.sessions.all() if s.end <= now and s.status == Session.Status.SCHEDULED
        ]
        present = [a for a in e.attendances.all() if a.status == Attendance.Status.PRESENT]
        e.sessions_past = len(past)
        e.sessions_present = len(present)
        e.valid_certificates = [
            c
            for c in (e.certificates.all() if hasattr(e, "certificates") else [])
            if c.revoked_at is None
        ]
        e.waiting_position = e.position if e.status == Enrolment.Status.WAITLISTED else None
    groups = defaultdict(list)
    for e in enrolments:
        groups["active" if e.is_active else "past"].append(e)
    context = {
        "active": groups["active"],
        "past": groups["past"],
        "now": now,
        "has_feed": CalendarFeed.objects.filter(participant=request.user).exists(),
        # The address exists in clear only right after it was made (my_calendar.my_feed_renew).
        "feed_url": request.session.pop("new_participant_feed_url", ""),
    }
    return render(request, "my/courses.html", context)


ENROLMENTS = Enrolment.objects.select_related("run__course", "run__school")


@access("courses.view_enrolment", model=ENROLMENTS, private=True)
def enrolment_calendar(request, obj):
    enrolment = obj
    sessions = (
        Session.objects.filter(run_id=enrolment.run_id)
        .select_related("run__course", "run__school", "workshop")
        .order_by("start")
    )
    cancelled = not enrolment.is_active and enrolment.status == Enrolment.Status.CANCELLED
    # A waiting-list place or a seat awaiting the employer's approval is no seat yet.
    unsure = enrolment.status in (Enrolment.Status.WAITLISTED, Enrolment.Status.PENDING)
    ics = build_calendar(
        sessions,
        name=enrolment.run.course.title,
        cancelled=cancelled,
        tentative_runs=[enrolment.run_id] if unsure else [],
    )
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kurs-{enrolment.run_id}.ics"'
    return response


@access("courses.cancel_enrolment", model=ENROLMENTS, private=True)
def cancel_enrolment(request, obj):
    """GET asks "really?" on a page of its own (it works without JavaScript); POST cancels."""
    enrolment = obj
    if request.method != "POST":
        return render(request, "my/cancel_confirm.html", {"enrolment": enrolment})
    was_waiting = enrolment.status in (Enrolment.Status.WAITLISTED, Enrolment.Status.OFFERED)
    try:
        booking.cancel(
            enrolment=enrolment, actor=request.user, reason=request.POST.get("reason", "")[:200]
        )
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(
            request,
            _("Sie stehen nicht mehr auf der Warteliste.")
            if was_waiting
            else _("Ihre Anmeldung ist storniert."),
        )
    return redirect("courses:my")


@access("courses.answer_offer", model=ENROLMENTS, private=True)
def offer(request, obj):
    """A seat offered from the waiting list: the person accepts or declines it here (signed in;
    the link in the e-mail carries no secret, the access rule checks it is theirs)."""
    enrolment = obj
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                enrolment = booking.accept_offer(enrolment=enrolment, actor=request.user)
                messages.success(request, _("Sie haben den Platz angenommen."))
            elif action == "decline":
                booking.decline_offer(enrolment=enrolment, actor=request.user)
                messages.success(request, _("Sie haben das Angebot abgelehnt."))
            else:
                messages.error(request, _("Bitte nehmen Sie das Angebot an oder lehnen Sie ab."))
                return redirect(request.path)
        except DomainError as err:
            messages.error(request, err.message)
        return redirect("courses:my")
    now = timezone.now()
    is_open = enrolment.status == Enrolment.Status.OFFERED and not enrolment.hold_expired(now)
    return render(request, "my/offer.html", {"enrolment": enrolment, "open": is_open})


# --- privacy -------------------------------------------------------------------------------------


@access()
def data_export(request):
    data = privacy.export_person_data(request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="meine-daten.json"'
    return response


@access()
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        privacy.delete_account(user=user)
        messages.success(request, _("Ihr Konto wurde gelöscht."))
        return redirect("courses:catalogue")
    return render(request, "my/delete_account.html", {"form": form})


# --- self check-in -------------------------------------------------------------------------------


@access(model=Session.objects.select_related("run__course", "workshop"))
def checkin(request, obj):
    """The participant's side of the projector: the QR code opens this page with the current code
    filled in (or they type it); the check-in itself is the POST. The service decides whether
    they may (confirmed enrolment, inside the window, a current code)."""
    session = obj
    form = CheckInForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            attendance = checkin_service.self_check_in(
                session=session, code=form.cleaned_data["code"], user=request.user
            )
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            return render(request, "staff/checkin_result.html", {"attendance": attendance})
    status = 409 if request.method == "POST" else 200
    return render(
        request, "staff/checkin_result.html", {"form": form, "session": session}, status=status
    )
