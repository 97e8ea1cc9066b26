"""Chart specs for templates/components/chart.html (drawn by static/js/charts.js, repeated as a
table for screen readers and without JavaScript)."""

from django.utils.translation import gettext as _


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    unit: str,
    labels: list[str],
    series_label: str,
    values: list,
    columns: list[str],
    rows: list[list],
    empty: str,
    maximum=None,
) -> dict:
    chart = {
        "id": chart_id,
        "title": title,
        "description": description,
        "kind": "bar",
        "unit": unit,
        "max": maximum,
        "labels": labels,
        "series": [{"label": series_label, "values": values}],
        "columns": columns,
        "rows": rows,
        "empty": empty,
    }
    chart["summary"] = _summary(chart)
    return chart


def _summary(chart: dict) -> str:
    """One sentence for the canvas; the table has every figure."""
    values = chart["series"][0]["values"]
    if not values or not chart["rows"]:
        return f"{chart['title']}: {chart['empty']}"
    high = max(range(len(values)), key=lambda i: values[i])
    low = min(range(len(values)), key=lambda i: values[i])
    return _(
        "%(title)s: höchster Wert %(high)s %(unit)s (%(high_label)s), "
        "niedrigster %(low)s %(unit)s (%(low_label)s)."
    ) % {
        "title": chart["title"],
        "high": f"{values[high]:g}",
        "high_label": chart["labels"][high],
        "low": f"{values[low]:g}",
        "low_label": chart["labels"][low],
        "unit": chart["unit"],
    }
