"""Downloads for the staff area: participant lists (CSV, XLSX) and signature lists (PDF).
Thin: permission check, one export function, a file response."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from .. import exports
from ..models import CourseRun, Session

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: never kept by a shared proxy or the browser cache.
    response["Cache-Control"] = "private, no-store"
    return response


def _run_for(request, run_id: int) -> CourseRun:
    run = get_object_or_404(CourseRun.objects.select_related("course", "school"), pk=run_id)
    if not request.user.has_perm("courses.view_run_participants", run):
        raise PermissionDenied
    return run


@login_required
@require_GET
def participants_csv(request, run_id: int):
    run = _run_for(request, run_id)
    return _download(
        exports.participants_csv(run),
        "text/csv; charset=utf-8",
        exports.export_filename(run, "teilnehmende", "csv"),
    )


@login_required
@require_GET
def participants_xlsx(request, run_id: int):
    run = _run_for(request, run_id)
    return _download(
        exports.participants_xlsx(run), XLSX, exports.export_filename(run, "teilnehmende", "xlsx")
    )


@login_required
@require_GET
def signature_list(request, session_id: int):
    try:
        session = exports.session_for_export(session_id)
    except Session.DoesNotExist:
        raise Http404 from None
    # Asked of the session: its own instructor may print it even when another teaches the run.
    if not request.user.has_perm("courses.view_run_participants", session):
        raise PermissionDenied
    filename = exports.export_filename(
        session.run, f"unterschriften-{timezone.localtime(session.start):%Y-%m-%d}", "pdf"
    )
    return _download(exports.signature_list_pdf(session), "application/pdf", filename)
