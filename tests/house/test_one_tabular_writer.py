"""One safe writer for every CSV and XLSX (core/tabular.py): a module that builds its own
csv.writer or openpyxl Workbook would bypass the formula neutralisation."""

import re

from tests.house.tree import ROOT, python_files

_WRITERS = re.compile(
    r"csv\.(writer|DictWriter)\(|\bWorkbook\(|from openpyxl import .*\bWorkbook\b"
)


def test_only_core_tabular_writes_spreadsheets():
    offenders = [
        str(path.relative_to(ROOT))
        for path in python_files()
        if path.relative_to(ROOT).parts[0] not in ("tests", "bench", "scripts")
        and path.relative_to(ROOT) != ROOT.joinpath("core", "tabular.py").relative_to(ROOT)
        and _WRITERS.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], f"use core.tabular.CsvWriter/XlsxWriter in: {offenders}"
