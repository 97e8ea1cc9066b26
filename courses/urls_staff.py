"""The staff area under /staff/ (planning engineer): coordinators and instructors."""

from django.urls import path

from .views import staff

urlpatterns = [
    path("", staff.dashboard, name="staff_dashboard"),
    path("courses/", staff.course_list, name="staff_course_list"),
    path("courses/new/", staff.course_create, name="staff_course_create"),
    path("courses/<int:pk>/edit/", staff.course_edit, name="staff_course_edit"),
    path("courses/<int:course_id>/runs/new/", staff.run_create, name="staff_run_create_for"),
    path("runs/", staff.run_list, name="staff_run_list"),
    path("runs/new/", staff.run_create, name="staff_run_create"),
    path("runs/<int:pk>/", staff.run_detail, name="staff_run_detail"),
    path("runs/<int:pk>/edit/", staff.run_edit, name="staff_run_edit"),
    path("runs/<int:pk>/status/", staff.run_status, name="staff_run_status"),
    path("runs/<int:run_id>/sessions/new/", staff.session_create, name="staff_session_create"),
    path("runs/<int:run_id>/series/new/", staff.series_create, name="staff_series_create"),
    path("sessions/<int:pk>/edit/", staff.session_edit, name="staff_session_edit"),
    path("sessions/<int:pk>/cancel/", staff.session_cancel, name="staff_session_cancel"),
    path("sessions/<int:pk>/attendance/", staff.attendance_page, name="staff_attendance"),
    path(
        "sessions/<int:pk>/attendance/<int:enrolment_id>/",
        staff.attendance_mark,
        name="staff_attendance_mark",
    ),
    path("sessions/<int:pk>/checkin-qr/", staff.checkin_qr, name="staff_checkin_qr"),
    path("my-sessions/", staff.my_sessions, name="staff_my_sessions"),
    path("calendar/", staff.calendar_week, name="staff_calendar_week"),
    path("calendar/month/", staff.calendar_month, name="staff_calendar_month"),
    path("calendar/feeds/", staff.feed_list, name="staff_feed_list"),
    path("calendar/feeds/<int:pk>/renew/", staff.feed_renew, name="staff_feed_renew"),
    path("calendar/feeds/<int:pk>/delete/", staff.feed_delete, name="staff_feed_delete"),
    path("calendar/feed/<str:token>.ics", staff.feed, name="staff_feed"),
]
