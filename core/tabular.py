"""The one writer for every CSV and XLSX file the project hands out.

Spreadsheet programs run a cell that starts like a formula, and a participant, a business or a
chamber can type one into a name ("=HYPERLINK(...)", "@SUM(...)", "+cmd|..."). Every text value
that starts with = + - @ tab, CR or LF gets a leading apostrophe (OWASP "CSV injection"); in XLSX
every text is also written as a string cell, never as a formula, and sheet titles are cleaned the
same way. Numbers, dates and booleans pass unchanged (a number is no formula).

Nothing outside this module builds csv.writer or openpyxl.Workbook (tests/house holds that)."""

import csv
import io
import re
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# Excel refuses these in sheet titles, and a title may not start or end with an apostrophe.
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_TITLE_MAX = 31

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def safe_value(value):
    """The value as a spreadsheet should store it: text that starts like a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_value(value) for value in values]


class CsvWriter:
    """csv.writer whose rows are neutralised. `german=True` gives what German Excel opens with a
    double click: semicolons and a byte-order mark; `decimal_comma` writes floats as 2,5."""

    def __init__(self, *, german: bool = True, decimal_comma: bool = False):
        self._german = german
        self._decimal_comma = decimal_comma
        self._buffer = io.StringIO()
        self._writer = csv.writer(
            self._buffer,
            delimiter=";" if german else ",",
            lineterminator="\r\n",
        )

    def writerow(self, values: Iterable) -> None:
        row = []
        for value in values:
            if self._decimal_comma and isinstance(value, float):
                value = str(value).replace(".", ",")
            row.append(safe_value(value))
        self._writer.writerow(row)

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for values in rows:
            self.writerow(values)

    def text(self) -> str:
        return ("\ufeff" if self._german else "") + self._buffer.getvalue()

    def to_bytes(self) -> bytes:
        return self.text().encode("utf-8")


def safe_sheet_title(title: str, fallback: str = "Sheet") -> str:
    """A title Excel accepts and never reads as a formula."""
    title = _TITLE_FORBIDDEN.sub(" ", str(title)).strip()
    title = title.lstrip("=+-@'\t\r\n ")[:_TITLE_MAX].rstrip("' ")
    return title or fallback


class XlsxSheet:
    """One worksheet. `append` writes every text as a string cell; the underlying openpyxl sheet
    (`.sheet`) stays available for layout: widths, frozen panes, filters, page setup."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.max_row = 0

    def append(self, values: Iterable = (), *, bold: bool = False, size: int | None = None) -> int:
        """Writes the next row (an empty one for no values) and returns its number."""
        self.max_row += 1
        for column, value in enumerate(values, start=1):
            value = safe_value(value)
            cell = self.sheet.cell(row=self.max_row, column=column)
            cell.value = value
            if isinstance(value, str):
                # openpyxl makes any text starting with "=" a formula; force a plain string.
                cell.data_type = TYPE_STRING
            if bold or size:
                cell.font = Font(bold=bold, size=size or 11)
        return self.max_row


class XlsxWriter:
    """A workbook of safe sheets: `add_sheet(title)` then `to_bytes()`."""

    def __init__(self):
        self.book = Workbook()
        self._fresh = True

    def add_sheet(self, title: str) -> XlsxSheet:
        if self._fresh:
            sheet, self._fresh = self.book.active, False
            sheet.title = safe_sheet_title(title)
        else:
            sheet = self.book.create_sheet(safe_sheet_title(title))
        return XlsxSheet(sheet)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()
