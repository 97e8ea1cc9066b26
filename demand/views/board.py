"""The demand board: per course what people ask for and what past runs showed, as a chart with
its table, plus interest by school, business, occupation or municipality and over time."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import access
from core.validators import parse_id
from courses.models import Topic
from people.roles import managed_school_ids

from ..selectors.board import (
    DIMENSIONS,
    demand_board,
    interest_by,
    interest_over_time,
    requests_by_topic,
)
from .charts import bar_chart

CHART_ROWS = 15


def _dimension_labels() -> dict[str, str]:
    return {
        "school": _("Schule"),
        "business": _("Betrieb"),
        "occupation": _("Beruf"),
        "municipality": _("Ort"),
    }


@access("demand.view_board")
def board(request):
    now = timezone.now()
    school_ids = managed_school_ids(request.user)
    topics = list(Topic.objects.order_by("name"))
    topic_id = parse_id(request.GET.get("topic"))
    dimension = request.GET.get("by", "school")
    if dimension not in DIMENSIONS:
        dimension = "school"
    rows = demand_board(school_ids=school_ids, topic_id=topic_id, now=now)
    labels = _dimension_labels()
    top = [row for row in rows if row.demand][:CHART_ROWS]
    demand_chart = bar_chart(
        chart_id="demand",
        title=_("Nachfrage je Kurs"),
        description=_("Interessierte, Wartende und angefragte Personen je Kurs, höchste zuerst."),
        unit=_("Personen"),
        labels=[row.course.title for row in top],
        series_label=_("Personen"),
        values=[row.demand for row in top],
        columns=[_("Kurs"), _("Interesse"), _("Warteliste"), _("Anfragen"), _("Gesamt")],
        rows=[
            [row.course.title, row.interest_people, row.waiting, row.request_people, row.demand]
            for row in top
        ],
        empty=_("Zurzeit keine Nachfrage."),
    )
    groups = interest_by(dimension, school_ids=school_ids, topic_id=topic_id, now=now)
    unknown = _("nicht erfasst")
    by_chart = bar_chart(
        chart_id="interest-by",
        title=_("Interesse nach %(dimension)s") % {"dimension": labels[dimension]},
        description=_("Personen mit aktivem Interesse."),
        unit=_("Personen"),
        labels=[g.label or unknown for g in groups],
        series_label=_("Personen"),
        values=[g.people for g in groups],
        columns=[labels[dimension], _("Meldungen"), _("Personen")],
        rows=[[g.label or unknown, g.entries, g.people] for g in groups],
        empty=_("Zurzeit kein aktives Interesse."),
    )
    months = interest_over_time(school_ids=school_ids, topic_id=topic_id, now=now)
    time_chart = bar_chart(
        chart_id="interest-months",
        title=_("Neues Interesse je Monat"),
        description=_("Angemeldetes Interesse der letzten zwölf Monate."),
        unit=_("Personen"),
        labels=[m.label for m in months],
        series_label=_("Personen"),
        values=[m.people for m in months],
        columns=[_("Monat"), _("Meldungen"), _("Personen")],
        rows=[[m.label, m.entries, m.people] for m in months]
        if any(m.entries for m in months)
        else [],
        empty=_("In den letzten zwölf Monaten kein neues Interesse."),
    )
    return render(
        request,
        "demand/board.html",
        {
            "rows": rows,
            "charts": [demand_chart, by_chart, time_chart],
            "topic_requests": requests_by_topic(school_ids=school_ids, topic_id=topic_id),
            "topics": topics,
            "topic_id": topic_id,
            "dimension": dimension,
            "dimensions": list(labels.items()),
        },
    )
