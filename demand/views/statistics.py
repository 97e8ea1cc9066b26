"""District statistics for the district admin: tables and charts by period, and the same
aggregates as CSV and JSON downloads (open data: no personal data, small cells suppressed)."""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.access import access
from people.roles import managed_school_ids

from ..exports import column_docs, statistics_csv, statistics_json
from ..forms import PeriodForm
from ..selectors.statistics import MIN_CELL, Period, default_period
from ..selectors.statistics import statistics as build
from .charts import bar_chart


def _period(request) -> tuple[PeriodForm, Period]:
    default = default_period()
    form = PeriodForm(request.GET or None, initial={"start": default.start, "end": default.end})
    if form.is_bound and form.is_valid():
        start = form.cleaned_data.get("start") or default.start
        end = form.cleaned_data.get("end") or default.end
        if end >= start:
            return form, Period(start=start, end=end)
    return form, default


def _chart(table) -> dict:
    shown = [cell for cell in table.cells if cell.value is not None]
    rows = [
        [cell.group, f"< {MIN_CELL}" if cell.suppressed else cell.value] for cell in table.cells
    ]
    return bar_chart(
        chart_id=table.key.replace("_", "-"),
        title=table.title,
        description=_("%(unit)s im gewählten Zeitraum") % {"unit": table.unit},
        unit=table.unit,
        labels=[cell.group for cell in shown],
        series_label=table.unit,
        values=[cell.value for cell in shown],
        columns=[table.title, table.unit],
        rows=rows if shown else [],  # nothing to draw: the empty text says why
        empty=_("Keine Daten oder nur Gruppen unter %(n)s Personen (nicht gezeigt).")
        % {"n": MIN_CELL},
        maximum=100 if table.unit == "%" else None,
    )


@access("demand.view_statistics")
def statistics(request):
    form, period = _period(request)
    tables = build(school_ids=managed_school_ids(request.user), period=period)
    return render(
        request,
        "demand/statistics.html",
        {
            "form": form,
            "period": period,
            "charts": [_chart(table) for table in tables],
            "columns": column_docs(),
            "min_cell": MIN_CELL,
            "query": request.GET.urlencode(),
        },
    )


@access("demand.view_statistics")
def statistics_export(request, fmt: str):
    if fmt not in ("csv", "json"):
        raise Http404
    _form, period = _period(request)
    tables = build(school_ids=managed_school_ids(request.user), period=period)
    name = f"lernwerkstatt-statistik-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            statistics_csv(tables, period), content_type="text/csv; charset=utf-8"
        )
    else:
        response = JsonResponse(
            statistics_json(tables, period), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
