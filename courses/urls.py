"""Every page of the courses app, in the "courses" namespace. Templates and tests use the names
(reverse), so a path or name changes only together with them."""

from django.urls import path

from .views import business, catalogue, completion, exports, my_calendar, public, reports
from .views.staff import (
    attendance,
    calendar,
    checkin,
    courses,
    dashboard,
    feeds,
    participants,
    resources,
    run_messages,
    runs,
    sessions,
    teaching,
)

app_name = "courses"

urlpatterns = [
    # The public side: catalogue, run page and booking.
    path("", catalogue.catalogue_view, name="catalogue"),
    path("courses/<int:pk>/", public.course_detail, name="course"),
    path("runs/<int:pk>/", public.run_detail, name="run"),
    path("runs/<int:pk>/book/", public.book_run, name="book"),
    # The participant's own pages and data.
    path("my/", public.my_courses, name="my"),
    path("my/data.json", public.data_export, name="my_data"),
    path("my/delete/", public.delete_account, name="my_delete"),
    path("my/enrolments/<int:pk>/calendar.ics", public.enrolment_calendar, name="my_calendar"),
    path("my/calendar/feed/", my_calendar.my_feed_renew, name="my_feed_renew"),
    path("my/calendar/feed/<str:token>.ics", my_calendar.my_feed, name="my_feed"),
    path("my/enrolments/<int:pk>/cancel/", public.cancel_enrolment, name="my_cancel"),
    path("my/enrolments/<int:pk>/offer/", public.offer, name="my_offer"),
    # Self check-in by QR code: participants, not staff, open this.
    path("checkin/<int:pk>/", public.checkin, name="checkin"),
    # The business area: contacts of a business book, cancel and approve for its people.
    path("business/", business.business_home, name="business"),
    path("business/book/", business.business_book, name="business_book"),
    path("business/enrolments/<int:pk>/cancel/", business.business_cancel, name="business_cancel"),
    path(
        "business/approvals/pending/<int:pk>/",
        business.pending_approval,
        name="business_pending_approval",
    ),
    path("business/approvals/<str:token>/", business.approval, name="business_approval"),
    # Staff: completion review, ÜLU reports, participant and signature lists.
    path("staff/completion/runs/<int:pk>/", completion.run_completion, name="run_completion"),
    path("staff/reports/runs/<int:run_id>/uelu.csv", reports.uelu_csv, name="uelu_csv"),
    path("staff/reports/runs/<int:run_id>/uelu.xlsx", reports.uelu_xlsx, name="uelu_xlsx"),
    path(
        "staff/exports/runs/<int:run_id>/participants.csv",
        exports.participants_csv,
        name="export_participants_csv",
    ),
    path(
        "staff/exports/runs/<int:run_id>/participants.xlsx",
        exports.participants_xlsx,
        name="export_participants_xlsx",
    ),
    path(
        "staff/exports/sessions/<int:session_id>/signatures.pdf",
        exports.signature_list,
        name="export_signature_list",
    ),
    # Staff area: dashboard, courses, runs.
    path("staff/", dashboard.dashboard, name="staff_dashboard"),
    path("staff/courses/", courses.course_list, name="staff_course_list"),
    path("staff/courses/new/", courses.course_create, name="staff_course_create"),
    path("staff/courses/<int:pk>/edit/", courses.course_edit, name="staff_course_edit"),
    path(
        "staff/courses/<int:course_id>/runs/new/",
        runs.run_create_for,
        name="staff_run_create_for",
    ),
    path("staff/runs/", runs.run_list, name="staff_run_list"),
    path("staff/runs/new/", runs.run_create, name="staff_run_create"),
    path("staff/runs/<int:pk>/", runs.run_detail, name="staff_run_detail"),
    path("staff/runs/<int:pk>/edit/", runs.run_edit, name="staff_run_edit"),
    path("staff/runs/<int:pk>/status/", runs.run_status, name="staff_run_status"),
    # Staff area: the participants of a run and messages to them.
    path(
        "staff/runs/<int:run_id>/participants/add/",
        participants.participant_add,
        name="staff_participant_add",
    ),
    path(
        "staff/runs/<int:run_id>/participants/<int:pk>/move/",
        participants.participant_move,
        name="staff_participant_move",
    ),
    path(
        "staff/runs/<int:run_id>/participants/<int:pk>/promote/",
        participants.participant_promote,
        name="staff_participant_promote",
    ),
    path(
        "staff/runs/<int:run_id>/participants/<int:pk>/cancel/",
        participants.participant_cancel,
        name="staff_participant_cancel",
    ),
    path(
        "staff/runs/<int:run_id>/messages/new/",
        run_messages.run_message_create,
        name="staff_run_message",
    ),
    path("staff/runs/<int:pk>/delete/", runs.run_delete, name="staff_run_delete"),
    path(
        "staff/runs/<int:pk>/resources/", resources.run_resources_page, name="staff_run_resources"
    ),
    path("staff/resources/", resources.term_resources_page, name="staff_term_resources"),
    path(
        "staff/sessions/<int:pk>/material/",
        resources.session_material,
        name="staff_session_material",
    ),
    path(
        "staff/sessions/<int:pk>/briefings/",
        resources.session_briefings,
        name="staff_session_briefings",
    ),
    # Staff area: sessions and series of a run.
    path(
        "staff/runs/<int:run_id>/sessions/new/",
        sessions.session_create,
        name="staff_session_create",
    ),
    path("staff/runs/<int:run_id>/series/new/", sessions.series_create, name="staff_series_create"),
    path("staff/sessions/<int:pk>/edit/", sessions.session_edit, name="staff_session_edit"),
    path("staff/sessions/<int:pk>/cancel/", sessions.session_cancel, name="staff_session_cancel"),
    # Staff area: instructors' sessions, attendance and the check-in QR code.
    path("staff/my-sessions/", attendance.my_sessions, name="staff_my_sessions"),
    path(
        "staff/sessions/<int:pk>/attendance/",
        attendance.attendance_page,
        name="staff_attendance",
    ),
    path(
        "staff/sessions/<int:pk>/attendance/<int:enrolment_id>/",
        attendance.attendance_mark,
        name="staff_attendance_mark",
    ),
    path(
        "staff/sessions/<int:pk>/attendance/all-present/",
        attendance.attendance_all_present,
        name="staff_attendance_all_present",
    ),
    path("staff/my-runs/<int:pk>/", teaching.taught_run, name="staff_taught_run"),
    path("staff/sessions/<int:pk>/checkin-qr/", checkin.checkin_qr, name="staff_checkin_qr"),
    path("staff/sessions/<int:pk>/checkin-code/", checkin.checkin_code, name="staff_checkin_code"),
    # Staff area: calendars and iCal subscriptions.
    path("staff/calendar/", calendar.calendar_week, name="staff_calendar_week"),
    path("staff/calendar/month/", calendar.calendar_month, name="staff_calendar_month"),
    path("staff/calendar/feeds/", feeds.feed_list, name="staff_feed_list"),
    path("staff/calendar/feeds/<int:pk>/renew/", feeds.feed_renew, name="staff_feed_renew"),
    path("staff/calendar/feeds/<int:pk>/delete/", feeds.feed_delete, name="staff_feed_delete"),
    path("staff/calendar/feed/<str:token>.ics", feeds.feed, name="staff_feed"),
]
