"""Utilisation of the user's schools' equipment over a period, as a page, CSV or XLSX."""

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import access
from core.formatting import iso, local_date
from core.tabular import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, CsvWriter, XlsxWriter
from people.roles import managed_school_ids

from ..forms import PeriodForm
from ..selectors import utilisation
from ..selectors_telemetry import with_measured_hours

HEADERS = [
    "Ebene",
    "Bezeichnung",
    "Stunden reserviert",
    "Reservierungen",
    "Auslastung (%)",
    "Stunden gemessen",
]


def _period(form):
    start = timezone.make_aware(dt.datetime.combine(form.cleaned_data["start"], dt.time.min))
    end = timezone.make_aware(
        dt.datetime.combine(form.cleaned_data["end"] + dt.timedelta(days=1), dt.time.min)
    )
    return start, end


@access("workshops.manage_inventory")
def utilisation_view(request):
    form = PeriodForm(request.GET or None, initial=PeriodForm.default_initial())
    if not request.GET:
        form = PeriodForm(PeriodForm.default_initial())
    per_item, per_type = [], []
    if form.is_valid():
        start, end = _period(form)
        per_item, per_type = with_measured_hours(
            *utilisation(managed_school_ids(request.user), start=start, end=end),
            start=start,
            end=end,
        )
        fmt = request.GET.get("format")
        if fmt == "csv":
            return _utilisation_csv(per_item, per_type, form)
        if fmt == "xlsx":
            return _utilisation_xlsx(per_item, per_type, form)
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "workshops/utilisation.html",
        {
            "form": form,
            "per_item": per_item,
            "per_type": per_type,
            "query": query.urlencode(),
            "chart": _chart(per_type, form) if form.is_valid() else None,
        },
    )


def _chart(per_type, form) -> dict:
    """The chart spec for components/chart.html: reserved hours per equipment type."""
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    labels = [row.label for row in per_type]
    values = [float(row.hours) for row in per_type]
    title = _("Reservierte Stunden je Geräteart")
    if values:
        top = max(range(len(values)), key=lambda i: values[i])
        summary = _("%(title)s: am meisten %(label)s mit %(hours)s h.") % {
            "title": title,
            "label": labels[top],
            "hours": f"{values[top]:g}",
        }
    else:
        summary = _("%(title)s: keine Geräte.") % {"title": title}
    return {
        "id": "utilisation-hours",
        "title": title,
        "description": _("Vom %(start)s bis %(end)s (Kurse und Ausleihen).")
        % {"start": local_date(start), "end": local_date(end)},
        "kind": "bar",
        "unit": "h",
        "max": None,
        "labels": labels,
        "series": [{"label": _("Stunden reserviert"), "values": values}],
        "columns": [_("Geräteart"), _("Stunden reserviert"), _("Anteil")],
        "rows": [
            [row.label, f"{row.hours:g}", f"{round(100 * row.share, 1):g} %"] for row in per_type
        ],
        "empty": _("Keine Geräte an dieser Schule."),
        "summary": summary,
    }


def _rows(per_item, per_type):
    for level, rows in (("Gerät", per_item), ("Geräteart", per_type)):
        for row in rows:
            measured = getattr(row, "measured", None)
            yield [
                level,
                row.label,
                row.hours,
                row.reservations,
                round(row.share * 100, 1),
                "" if measured is None else measured,
            ]


def _filename(form, ext):
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return f"auslastung_{iso(start)}_{iso(end)}.{ext}"


def _utilisation_csv(per_item, per_type, form):
    # Semicolons and a BOM: German Excel opens it correctly with a double click.
    writer = CsvWriter()
    writer.writerow(HEADERS)
    writer.writerows(_rows(per_item, per_type))
    response = HttpResponse(writer.text(), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(form, "csv")}"'
    return response


def _utilisation_xlsx(per_item, per_type, form):
    book = XlsxWriter()
    sheet = book.add_sheet("Auslastung")
    sheet.append(HEADERS)
    for row in _rows(per_item, per_type):
        sheet.append(row)
    sheet.sheet.column_dimensions["B"].width = 40
    response = HttpResponse(book.to_bytes(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(form, "xlsx")}"'
    return response
