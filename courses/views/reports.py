"""ÜLU report exports for the staff area (CSV, XLSX): the coordinator of the run's school."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.access import access
from core.formatting import local_date
from core.tabular import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, CsvWriter, XlsxWriter

from ..models import CourseRun
from ..reports import UeluReport, uelu_report

RUNS = CourseRun.objects.select_related("school")


def _header(report: UeluReport) -> list[str]:
    head = [
        _("Name"),
        _("Geburtsdatum"),
        _("Lehrlingsrollen-Nr."),
        _("Ausbildungsberuf"),
        _("Berufskennziffer"),
        _("Ausbildungsjahr"),
        _("Unterweisungsplan / Kursnummer"),
        _("Betrieb"),
        _("Mitgliedsnummer"),
        _("Kammer"),
        _("Status"),
    ]
    for day in report.days:
        label = local_date(day)
        head += [_("%(day)s Stunden") % {"day": label}, _("%(day)s Fehlgrund") % {"day": label}]
    return [*head, _("Stunden gesamt")]


def _rows(report: UeluReport):
    plan = report.instruction_plan or report.course_number
    for p in report.participants:
        row = [
            p.name,
            local_date(p.date_of_birth) if p.date_of_birth else "",
            p.lehrlingsrolle_number or "",
            p.occupation,
            p.occupation_code,
            p.training_year or "",
            plan,
            p.business or "",
            p.member_number or "",
            p.chamber or "",
            p.status_text,
        ]
        for day in p.days:
            row += [day.hours_attended, " / ".join(day.absence_reasons)]
        yield [*row, p.hours_attended]


def _filename(run: CourseRun, ext: str) -> str:
    return f"uelu-{run.school.code}-{run.pk}.{ext}"


@access("courses.manage_run", model=RUNS, url_kwarg="run_id")
def uelu_csv(request, obj: CourseRun):
    run = obj
    report = uelu_report(run)
    # Semicolons, decimal commas and a BOM: what German Excel opens correctly with a double click.
    writer = CsvWriter(decimal_comma=True)
    writer.writerow(_header(report))
    writer.writerows(_rows(report))
    response = HttpResponse(writer.text(), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(run, "csv")}"'
    return response


@access("courses.manage_run", model=RUNS, url_kwarg="run_id")
def uelu_xlsx(request, obj: CourseRun):
    run = obj
    report = uelu_report(run)
    book = XlsxWriter()
    sheet = book.add_sheet("ÜLU")
    sheet.append([f"{report.course} – {report.school}"], bold=True)
    sheet.append(_header(report), bold=True)
    for row in _rows(report):
        sheet.append(row)
    sheet.sheet.freeze_panes = "B3"
    response = HttpResponse(book.to_bytes(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(run, "xlsx")}"'
    return response
