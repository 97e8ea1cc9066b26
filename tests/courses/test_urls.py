"""The courses URLs: every page keeps its address and name (templates, e-mails and bookmarks use
them), and every view declares who may open it (core.access)."""

from django.urls import URLPattern, get_resolver, reverse

# name -> (arguments, path): the addresses as they were before the URL files became one.
ADDRESSES = {
    "catalogue": ([], "/"),
    "course": ([1], "/courses/1/"),
    "run": ([1], "/runs/1/"),
    "book": ([1], "/runs/1/book/"),
    "my": ([], "/my/"),
    "my_data": ([], "/my/data.json"),
    "my_delete": ([], "/my/delete/"),
    "my_calendar": ([1], "/my/enrolments/1/calendar.ics"),
    "my_cancel": ([1], "/my/enrolments/1/cancel/"),
    "my_offer": ([1], "/my/enrolments/1/offer/"),
    "my_feed_renew": ([], "/my/calendar/feed/"),
    "my_feed": (["abc"], "/my/calendar/feed/abc.ics"),
    # The participant's check-in page of a session (it used to carry a static token instead).
    "checkin": ([1], "/checkin/1/"),
    "business": ([], "/business/"),
    "business_book": ([], "/business/book/"),
    "business_cancel": ([1], "/business/enrolments/1/cancel/"),
    "business_approval": (["abc"], "/business/approvals/abc/"),
    "business_pending_approval": ([1], "/business/approvals/pending/1/"),
    "run_completion": ([1], "/staff/completion/runs/1/"),
    "uelu_csv": ([1], "/staff/reports/runs/1/uelu.csv"),
    "uelu_xlsx": ([1], "/staff/reports/runs/1/uelu.xlsx"),
    "export_participants_csv": ([1], "/staff/exports/runs/1/participants.csv"),
    "export_participants_xlsx": ([1], "/staff/exports/runs/1/participants.xlsx"),
    "export_signature_list": ([1], "/staff/exports/sessions/1/signatures.pdf"),
    "staff_dashboard": ([], "/staff/"),
    "staff_course_list": ([], "/staff/courses/"),
    "staff_course_create": ([], "/staff/courses/new/"),
    "staff_course_edit": ([1], "/staff/courses/1/edit/"),
    "staff_run_create_for": ([1], "/staff/courses/1/runs/new/"),
    "staff_run_list": ([], "/staff/runs/"),
    "staff_run_create": ([], "/staff/runs/new/"),
    "staff_run_detail": ([1], "/staff/runs/1/"),
    "staff_run_edit": ([1], "/staff/runs/1/edit/"),
    "staff_run_status": ([1], "/staff/runs/1/status/"),
    "staff_participant_add": ([1], "/staff/runs/1/participants/add/"),
    "staff_participant_move": ([1, 2], "/staff/runs/1/participants/2/move/"),
    "staff_participant_promote": ([1, 2], "/staff/runs/1/participants/2/promote/"),
    "staff_participant_cancel": ([1, 2], "/staff/runs/1/participants/2/cancel/"),
    "staff_run_message": ([1], "/staff/runs/1/messages/new/"),
    "staff_session_create": ([1], "/staff/runs/1/sessions/new/"),
    "staff_series_create": ([1], "/staff/runs/1/series/new/"),
    "staff_session_edit": ([1], "/staff/sessions/1/edit/"),
    "staff_session_cancel": ([1], "/staff/sessions/1/cancel/"),
    "staff_attendance": ([1], "/staff/sessions/1/attendance/"),
    "staff_attendance_mark": ([1, 2], "/staff/sessions/1/attendance/2/"),
    "staff_attendance_all_present": ([1], "/staff/sessions/1/attendance/all-present/"),
    "staff_taught_run": ([1], "/staff/my-runs/1/"),
    "staff_run_delete": ([1], "/staff/runs/1/delete/"),
    "staff_checkin_qr": ([1], "/staff/sessions/1/checkin-qr/"),
    "staff_checkin_code": ([1], "/staff/sessions/1/checkin-code/"),
    "staff_run_resources": ([1], "/staff/runs/1/resources/"),
    "staff_term_resources": ([], "/staff/resources/"),
    "staff_session_material": ([1], "/staff/sessions/1/material/"),
    "staff_session_briefings": ([1], "/staff/sessions/1/briefings/"),
    "staff_my_sessions": ([], "/staff/my-sessions/"),
    "staff_calendar_week": ([], "/staff/calendar/"),
    "staff_calendar_month": ([], "/staff/calendar/month/"),
    "staff_feed_list": ([], "/staff/calendar/feeds/"),
    "staff_feed_renew": ([1], "/staff/calendar/feeds/1/renew/"),
    "staff_feed_delete": ([1], "/staff/calendar/feeds/1/delete/"),
    "staff_feed": (["abc"], "/staff/calendar/feed/abc.ics"),
}


def _courses_patterns() -> list[URLPattern]:
    resolver = get_resolver().namespace_dict["courses"][1]
    return list(resolver.url_patterns)


def test_every_page_keeps_its_address():
    moved = {
        name: reverse(f"courses:{name}", args=args)
        for name, (args, path) in ADDRESSES.items()
        if reverse(f"courses:{name}", args=args) != path
    }
    assert not moved


def test_no_page_is_added_or_lost_without_this_list():
    assert {p.name for p in _courses_patterns()} == set(ADDRESSES)


def test_every_view_declares_its_access():
    undeclared = [
        f"{p.pattern} {p.callback.__module__}.{p.callback.__qualname__}"
        for p in _courses_patterns()
        if not (hasattr(p.callback, "access_perm") or getattr(p.callback, "access_public", False))
    ]
    assert not undeclared, "views without @access or @public:\n" + "\n".join(undeclared)


def test_only_the_pages_anyone_may_open_are_public():
    public = {p.name for p in _courses_patterns() if getattr(p.callback, "access_public", False)}
    # The calendar feeds: a calendar app cannot sign in, the token in the address is the key.
    assert public == {"catalogue", "staff_feed", "my_feed"}
