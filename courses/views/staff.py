"""Staff area (/staff/): dashboard, courses, runs, sessions and series, calendar and feeds,
instructors' sessions and attendance, self check-in. Thin: parse, call a service or selector,
render; domain errors become form errors or messages."""

import calendar as pycalendar
import datetime as dt
import io
import secrets
from collections import defaultdict
from functools import wraps

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import audit
from core.errors import DomainError
from core.links import absolute_url
from people.models import School
from people.roles import managed_school_ids
from workshops.models import Workshop
from workshops.selectors import due_and_overdue

from ..forms_staff import (
    AttendanceForm,
    CourseForm,
    FeedForm,
    RunForm,
    RunStatusForm,
    SeriesForm,
    SessionForm,
)
from ..ical import build_calendar
from ..models import (
    Attendance,
    CalendarFeed,
    Course,
    CourseRun,
    Enrolment,
    Session,
    SessionReservation,
)
from ..selectors import runs_at_risk, runs_below_minimum, sessions_between, staff_runs
from ..selectors_dashboard import dashboard_charts
from ..services import attendance as attendance_service
from ..services import planning

FEED_PAST_DAYS = 90


# --- access ----------------------------------------------------------------------------------


def staff_view(view):
    """Logged in and coordinator, instructor or district admin; everyone else gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("people.access_staff_area"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _managed(request) -> set[int]:
    return managed_school_ids(request.user)


def _coordinator_schools(request) -> set[int]:
    ids = _managed(request)
    if not ids:
        raise PermissionDenied
    return ids


def _require(request, perm: str, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _fail(request, form, error: DomainError):
    if form is not None:
        form.add_domain_error(error)
    else:
        messages.error(request, error.message)


# --- dashboard -------------------------------------------------------------------------------


@staff_view
def dashboard(request):
    now = timezone.now()
    school_ids = _managed(request)
    week_end = now + dt.timedelta(days=7)
    if school_ids:
        upcoming = sessions_between(start=now, end=week_end, school_ids=school_ids)
    else:
        upcoming = sessions_between(start=now, end=week_end, instructor=request.user)
    context = {
        "upcoming": list(upcoming.filter(status=Session.Status.SCHEDULED)[:100]),
        "is_coordinator": bool(school_ids),
    }
    if school_ids:
        context.update(
            below_minimum=list(runs_below_minimum(school_ids, now=now)),
            at_risk=list(runs_at_risk(school_ids, now=now)),
            maintenance=due_and_overdue(school_ids)[:50],
        )
        # Charts (UI engineer): fill rate per run and equipment hours, each with a table.
        context["charts"] = dashboard_charts(school_ids, now=now)
    return render(request, "staff/dashboard.html", context)


# --- courses ---------------------------------------------------------------------------------


@staff_view
def course_list(request):
    school_ids = _coordinator_schools(request)
    courses = (
        Course.objects.filter(school_id__in=school_ids)
        .select_related("topic", "school")
        .annotate(run_count=Count("runs"))
        .order_by("title")
    )
    query = request.GET.get("q", "").strip()
    if query:
        courses = courses.filter(Q(title__icontains=query) | Q(topic__name__icontains=query))
    page = Paginator(courses, 50).get_page(request.GET.get("page"))
    return render(request, "staff/course_list.html", {"page": page, "q": query})


def _course_values(data: dict) -> dict:
    values = dict(data)
    values.pop("school", None)
    return values


@staff_view
def course_create(request):
    school_ids = _coordinator_schools(request)
    schools = School.objects.filter(pk__in=school_ids)
    form = CourseForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        school = form.cleaned_data["school"]
        _require(request, "courses.manage_course", school)
        try:
            course = planning.create_course(
                school=school, actor=request.user, **_course_values(form.cleaned_data)
            )
        except DomainError as error:
            _fail(request, form, error)
        else:
            messages.success(request, _("Der Kurs wurde angelegt."))
            return redirect("courses:staff_run_create_for", course_id=course.pk)
    return render(request, "staff/course_form.html", {"form": form, "course": None})


@staff_view
def course_edit(request, pk):
    course = get_object_or_404(Course, pk=pk)
    _require(request, "courses.manage_course", course)
    schools = School.objects.filter(pk=course.school_id)
    form = CourseForm(request.POST or None, schools=schools, initial=CourseForm.initial_for(course))
    form.fields["school"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            planning.update_course(
                course=course, actor=request.user, **_course_values(form.cleaned_data)
            )
        except DomainError as error:
            _fail(request, form, error)
        else:
            messages.success(request, _("Der Kurs wurde gespeichert."))
            return redirect("courses:staff_course_list")
    return render(request, "staff/course_form.html", {"form": form, "course": course})


# --- runs ------------------------------------------------------------------------------------


@staff_view
def run_list(request):
    school_ids = _coordinator_schools(request)
    runs = staff_runs(school_ids).order_by("-starts_at", "-id")
    status = request.GET.get("status", "")
    if status in CourseRun.Status.values:
        runs = runs.filter(status=status)
    page = Paginator(runs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/run_list.html",
        {"page": page, "status": status, "statuses": CourseRun.Status.choices},
    )


@staff_view
def run_create(request, course_id=None):
    school_ids = _coordinator_schools(request)
    course = None
    if course_id is not None:
        course = get_object_or_404(Course, pk=course_id)
        _require(request, "courses.manage_course", course)
    initial = {}
    if course is not None:
        initial = {"course": course, "capacity": 12, "min_participants": 0}
    form = RunForm(
        request.POST or None, school_ids=school_ids, fixed_course=course, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("course")
        _require(request, "courses.manage_course", chosen)
        try:
            run = planning.create_run(course=chosen, actor=request.user, **data)
        except DomainError as error:
            _fail(request, form, error)
        else:
            messages.success(request, _("Die Kursdurchführung wurde als Entwurf angelegt."))
            return redirect("courses:staff_run_detail", pk=run.pk)
    return render(request, "staff/run_form.html", {"form": form, "run": None, "course": course})


@staff_view
def run_edit(request, pk):
    run = get_object_or_404(CourseRun.objects.select_related("course"), pk=pk)
    _require(request, "courses.manage_run", run)
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
            _fail(request, form, error)
        else:
            messages.success(request, _("Die Kursdurchführung wurde gespeichert."))
            return redirect("courses:staff_run_detail", pk=run.pk)
    return render(request, "staff/run_form.html", {"form": form, "run": run, "course": run.course})


@staff_view
def run_detail(request, pk):
    run = get_object_or_404(staff_runs(), pk=pk)
    _require(request, "courses.manage_run", run)
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
            # only to whoever may open them; manage_run (checked above) covers completion and
            # the ÜLU report, the others have perms of their own.
            "can_issue_certificates": request.user.has_perm("certificates.issue_certificate", run),
            "can_view_participants": request.user.has_perm("courses.view_run_participants", run),
        },
    )


@staff_view
@require_POST
def run_status(request, pk):
    run = get_object_or_404(CourseRun, pk=pk)
    _require(request, "courses.manage_run", run)
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


# --- sessions --------------------------------------------------------------------------------


def _session_kwargs(data: dict) -> dict:
    return {
        "workshop": data.get("workshop"),
        "instructor": data.get("instructor"),
        "equipment": list(data.get("equipment") or []),
    }


@staff_view
def session_create(request, run_id):
    run = get_object_or_404(CourseRun.objects.select_related("course"), pk=run_id)
    _require(request, "courses.manage_run", run)
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
            _fail(request, form, error)
        else:
            messages.success(request, _("Der Termin wurde geplant."))
            return redirect("courses:staff_run_detail", pk=run.pk)
    return render(request, "staff/session_form.html", {"form": form, "run": run, "session": None})


@staff_view
def session_edit(request, pk):
    session = get_object_or_404(Session.objects.select_related("run__course"), pk=pk)
    run = session.run
    _require(request, "courses.manage_run", run)
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
            _fail(request, form, error)
        else:
            messages.success(request, _("Der Termin wurde geändert."))
            return redirect("courses:staff_run_detail", pk=run.pk)
    return render(
        request, "staff/session_form.html", {"form": form, "run": run, "session": session}
    )


@staff_view
@require_POST
def session_cancel(request, pk):
    session = get_object_or_404(Session, pk=pk)
    _require(request, "courses.manage_run", session)
    try:
        planning.cancel_session(session=session, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Der Termin wurde abgesagt."))
    return redirect("courses:staff_run_detail", pk=session.run_id)


@staff_view
def series_create(request, run_id):
    run = get_object_or_404(CourseRun.objects.select_related("course"), pk=run_id)
    _require(request, "courses.manage_run", run)
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
            _fail(request, form, error)
        else:
            messages.success(request, _("%(n)s Termine wurden geplant.") % {"n": len(sessions)})
            return redirect("courses:staff_run_detail", pk=run.pk)
    return render(request, "staff/series_form.html", {"form": form, "run": run})


# --- calendar --------------------------------------------------------------------------------


def _calendar_scope(request):
    """Coordinators see their schools' sessions; instructors only their own."""
    school_ids = _managed(request)
    if school_ids:
        return {"school_ids": school_ids}, Workshop.objects.filter(school_id__in=school_ids)
    return {"instructor": request.user}, None


def _parse_day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _day_bounds(first: dt.date, last: dt.date):
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    return start, end


@staff_view
def calendar_week(request):
    day = _parse_day(request.GET.get("date"))
    monday = day - dt.timedelta(days=day.weekday())
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    start, end = _day_bounds(days[0], days[-1])
    scope, workshops = _calendar_scope(request)
    sessions = list(sessions_between(start=start, end=end, **scope))
    if workshops is None:
        workshops = {s.workshop_id: s.workshop for s in sessions}.values()
    else:
        workshops = list(workshops.select_related("school").order_by("school__name", "name"))
    grid = defaultdict(list)
    for s in sessions:
        grid[(s.workshop_id, timezone.localtime(s.start).date())].append(s)
    rows = [{"workshop": w, "cells": [grid.get((w.pk, d), []) for d in days]} for w in workshops]
    return render(
        request,
        "staff/calendar_week.html",
        {
            "days": days,
            "rows": rows,
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "today": timezone.localdate(),
            "week_number": monday.isocalendar()[1],
        },
    )


@staff_view
def calendar_month(request):
    try:
        year, month = (int(p) for p in request.GET.get("month", "").split("-"))
        first = dt.date(year, month, 1)
    except (ValueError, TypeError):
        first = timezone.localdate().replace(day=1)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start, end = _day_bounds(weeks[0][0], weeks[-1][-1])
    scope, workshops = _calendar_scope(request)
    workshop_id = request.GET.get("workshop")
    qs = sessions_between(start=start, end=end, **scope)
    if workshop_id and workshop_id.isdigit():
        qs = qs.filter(workshop_id=int(workshop_id))
    by_day = defaultdict(list)
    for s in qs:
        by_day[timezone.localtime(s.start).date()].append(s)
    grid = [[{"day": d, "sessions": by_day.get(d, [])} for d in week] for week in weeks]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "staff/calendar_month.html",
        {
            "first": first,
            "weeks": grid,
            "previous": previous,
            "next": following,
            "workshops": list(workshops.order_by("name")) if workshops is not None else [],
            "workshop_id": int(workshop_id) if workshop_id and workshop_id.isdigit() else None,
            "weekday_names": [_("Mo"), _("Di"), _("Mi"), _("Do"), _("Fr"), _("Sa"), _("So")],
        },
    )


# --- iCal feeds ------------------------------------------------------------------------------


def _visible_feeds(request):
    school_ids = _managed(request)
    return (
        CalendarFeed.objects.filter(
            Q(school_id__in=school_ids)
            | Q(workshop__school_id__in=school_ids)
            | Q(instructor=request.user)
        )
        .select_related("school", "workshop", "instructor")
        .order_by("created_at")
    )


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@staff_view
def feed_list(request):
    school_ids = _managed(request)
    form = FeedForm(request.POST or None, school_ids=school_ids)
    if not school_ids:
        form.fields["scope"].choices = [("instructor", _("meine Termine"))]
    if request.method == "POST" and form.is_valid():
        scope = form.cleaned_data["scope"]
        with transaction.atomic():
            if scope == "instructor":
                feed = CalendarFeed.objects.create(token=_new_token(), instructor=request.user)
            elif scope == "workshop":
                workshop = form.cleaned_data["workshop"]
                _require(request, "courses.manage_run", workshop)
                feed = CalendarFeed.objects.create(token=_new_token(), workshop=workshop)
            else:
                school = form.cleaned_data.get("school")
                school_id = school.pk if school else next(iter(school_ids), None)
                if school_id is None or school_id not in school_ids:
                    raise PermissionDenied
                feed = CalendarFeed.objects.create(token=_new_token(), school_id=school_id)
            audit(actor=request.user, action="calendar_feed.created", obj=feed, scope=scope)
        messages.success(request, _("Das Kalender-Abo wurde angelegt."))
        return redirect("courses:staff_feed_list")
    feeds = [
        (feed, request.build_absolute_uri(reverse("courses:staff_feed", args=[feed.token])))
        for feed in _visible_feeds(request)
    ]
    return render(request, "staff/feed_list.html", {"form": form, "feeds": feeds})


def _own_feed(request, pk) -> CalendarFeed:
    feed = get_object_or_404(_visible_feeds(request), pk=pk)
    return feed


@staff_view
@require_POST
def feed_renew(request, pk):
    """A new token: the old address stops working at once (e.g. after it leaked)."""
    feed = _own_feed(request, pk)
    feed.token = _new_token()
    feed.save(update_fields=["token", "updated_at"])
    audit(actor=request.user, action="calendar_feed.renewed", obj=feed)
    messages.success(request, _("Die Abo-Adresse wurde erneuert; die alte gilt nicht mehr."))
    return redirect("courses:staff_feed_list")


@staff_view
@require_POST
def feed_delete(request, pk):
    feed = _own_feed(request, pk)
    audit(actor=request.user, action="calendar_feed.deleted", obj=feed)
    feed.delete()
    messages.success(request, _("Das Kalender-Abo wurde gelöscht."))
    return redirect("courses:staff_feed_list")


def feed(request, token):
    """The private iCal feed: the token is the credential, no login (calendar apps can't)."""
    feed = (
        CalendarFeed.objects.filter(token=token)
        .select_related("school", "workshop", "instructor")
        .first()
    )
    if feed is None or len(token) < 20:
        raise Http404
    start = timezone.now() - dt.timedelta(days=FEED_PAST_DAYS)
    qs = sessions_between(start=start, end=timezone.now() + dt.timedelta(days=3650))
    if feed.school_id:
        qs, name = qs.filter(run__school_id=feed.school_id), str(feed.school)
    elif feed.workshop_id:
        qs, name = qs.filter(workshop_id=feed.workshop_id), str(feed.workshop)
    else:
        qs, name = qs.filter(instructor_id=feed.instructor_id), str(feed.instructor)
    qs = qs.exclude(run__status=CourseRun.Status.DRAFT)
    body = build_calendar(qs, name=_("Lernwerkstatt: %(name)s") % {"name": name})
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lernwerkstatt.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- instructors: my sessions, attendance, check-in ------------------------------------------


@staff_view
def my_sessions(request):
    now = timezone.now()
    sessions = sessions_between(
        start=now - dt.timedelta(days=14), end=now + dt.timedelta(days=180), instructor=request.user
    ).annotate(marked=Count("attendances"))
    return render(request, "staff/my_sessions.html", {"sessions": sessions, "now": now})


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


@staff_view
def attendance_page(request, pk):
    session = get_object_or_404(
        Session.objects.select_related("run__course", "run__school", "workshop", "instructor"),
        pk=pk,
    )
    _require(request, "courses.take_attendance", session)
    return render(
        request,
        "staff/attendance.html",
        {"session": session, "rows": _attendance_rows(session), "form": AttendanceForm()},
    )


@staff_view
@require_POST
def attendance_mark(request, pk, enrolment_id):
    """One participant's mark; htmx swaps just that row, without htmx the page reloads."""
    session = get_object_or_404(Session.objects.select_related("run"), pk=pk)
    _require(request, "courses.take_attendance", session)
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
            "staff/_attendance_row.html",
            {
                "session": session,
                "row": {"enrolment": enrolment, "attendance": attendance},
                "error": error,
                "saved": error is None,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Gespeichert."))
    return redirect("courses:staff_attendance", pk=session.pk)


def checkin_url(session: Session) -> str:
    return absolute_url("courses:checkin", session.checkin_token)


def qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=20, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")


@staff_view
def checkin_qr(request, pk):
    """Shown on the projector: participants scan it with their phones."""
    session = get_object_or_404(Session.objects.select_related("run__course", "workshop"), pk=pk)
    _require(request, "courses.take_attendance", session)
    if not session.checkin_token:
        session.checkin_token = secrets.token_urlsafe(24)
        session.save(update_fields=["checkin_token", "updated_at"])
    url = checkin_url(session)
    svg = qr_svg(url)
    # The SVG comes from our own QR encoder, not from user input; strip the XML prolog to inline it.
    svg = svg[svg.index("<svg") :]
    opens, closes = attendance_service.checkin_window(session)
    return render(
        request,
        "staff/checkin_qr.html",
        {
            "session": session,
            "qr": mark_safe(svg),  # noqa: S308 - generated by qrcode from our URL only
            "url": url,
            "opens": opens,
            "closes": closes,
        },
    )


@login_required
def checkin(request, token):
    """The participant's side of the QR code: opening it while logged in marks them present."""
    try:
        attendance = attendance_service.self_check_in(token=token, user=request.user)
    except DomainError as error:
        return render(request, "staff/checkin_result.html", {"error": error.message}, status=409)
    return render(request, "staff/checkin_result.html", {"attendance": attendance})
