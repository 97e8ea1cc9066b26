"""The statistics as open data: CSV (RFC 4180, UTF-8, comma) and JSON with documented columns.
Only aggregates leave: the tables of selectors/statistics.py, small cells already suppressed."""

from django.utils.translation import gettext as _

from core.formatting import iso
from core.tabular import CsvWriter

from .selectors.statistics import MIN_CELL, Period, Table

COLUMNS = ("table", "group", "value", "unit", "suppressed", "period_start", "period_end")


def column_docs() -> dict[str, str]:
    return {
        "table": _("Kennung der Tabelle, z. B. participants_by_school"),
        "group": _("Gruppe innerhalb der Tabelle (Schule, Themenfeld, Betrieb, …)"),
        "value": _("Zahl oder Prozentwert; leer, wenn unterdrückt"),
        "unit": _("Einheit des Werts"),
        "suppressed": _("true, wenn die Gruppe weniger als %(n)s Personen umfasst")
        % {"n": MIN_CELL},
        "period_start": _("erster Tag des Zeitraums (ISO 8601)"),
        "period_end": _("letzter Tag des Zeitraums (ISO 8601)"),
    }


def rows(tables: list[Table], period: Period):
    for table in tables:
        for cell in table.cells:
            yield {
                "table": table.key,
                "group": cell.group,
                "value": cell.value,
                "unit": table.unit,
                "suppressed": cell.suppressed,
                "period_start": iso(period.start),
                "period_end": iso(period.end),
            }


def statistics_csv(tables: list[Table], period: Period) -> bytes:
    # RFC 4180 as open data: comma, no BOM; a group name that starts like a formula is quoted.
    writer = CsvWriter(german=False)
    writer.writerow(COLUMNS)
    for row in rows(tables, period):
        values = [row[name] for name in COLUMNS]
        values[COLUMNS.index("value")] = "" if row["value"] is None else row["value"]
        values[COLUMNS.index("suppressed")] = "true" if row["suppressed"] else "false"
        writer.writerow(values)
    return writer.to_bytes()


def statistics_json(tables: list[Table], period: Period) -> dict:
    return {
        "period": {"start": iso(period.start), "end": iso(period.end)},
        "min_cell": MIN_CELL,
        "columns": column_docs(),
        "tables": [
            {
                "table": table.key,
                "title": table.title,
                "unit": table.unit,
                "rows": [
                    {"group": c.group, "value": c.value, "suppressed": c.suppressed}
                    for c in table.cells
                ],
            }
            for table in tables
        ],
    }
