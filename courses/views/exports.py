"""Downloads for the staff area: participant lists (CSV, XLSX) and signature lists (PDF).
Thin: declared access, one export function, a file response."""

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.access import access
from core.tabular import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

from .. import exports
from ..models import CourseRun, Session


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: never kept by a shared proxy or the browser cache.
    response["Cache-Control"] = "private, no-store"
    return response


RUNS = CourseRun.objects.select_related("course", "school")


@access("courses.view_run_participants", model=RUNS, url_kwarg="run_id")
@require_GET
def participants_csv(request, obj: CourseRun):
    run = obj
    return _download(
        exports.participants_csv(run),
        CSV_CONTENT_TYPE,
        exports.export_filename(run, "teilnehmende", "csv"),
    )


@access("courses.view_run_participants", model=RUNS, url_kwarg="run_id")
@require_GET
def participants_xlsx(request, obj: CourseRun):
    run = obj
    return _download(
        exports.participants_xlsx(run),
        XLSX_CONTENT_TYPE,
        exports.export_filename(run, "teilnehmende", "xlsx"),
    )


# Asked of the session: its own instructor may print it even when another teaches the run.
@access(
    "courses.view_run_participants",
    model=lambda request: exports.sessions_for_export(),
    url_kwarg="session_id",
)
@require_GET
def signature_list(request, obj: Session):
    session = obj
    filename = exports.export_filename(
        session.run, f"unterschriften-{timezone.localtime(session.start):%Y-%m-%d}", "pdf"
    )
    return _download(exports.signature_list_pdf(session), "application/pdf", filename)
