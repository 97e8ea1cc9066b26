"""No module over 400 lines: a file that long holds more than one idea and wants splitting along
its seams. Migrations (generated) are exempt."""

import pytest

from tests.house.tree import ROOT, python_files

LIMIT = 400


def _exempt(path) -> bool:
    parts = path.relative_to(ROOT).parts
    return "migrations" in parts


def test_no_module_is_longer_than_400_lines():
    files = [path for path in python_files() if not _exempt(path)]
    assert len(files) > 100, "the check found almost no source: is ROOT right?"
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in files
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    if too_long:
        listing = "\n".join(
            f"  {name}: {lines} lines"
            for name, lines in sorted(too_long.items(), key=lambda item: -item[1])
        )
        pytest.fail(f"modules over {LIMIT} lines, split them along their seams:\n{listing}")
