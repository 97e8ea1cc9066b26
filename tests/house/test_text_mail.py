"""Plain-text templates (.txt: e-mail bodies and subjects) are rendered by core.textmail, never
by the HTML engine, which would turn O'Brien into O&#x27;Brien."""

import re

from tests.house.tree import ROOT, python_files

_HTML_RENDER_OF_TXT = re.compile(
    r"(render_to_string|select_template|get_template)\((?:[^()]|\([^()]*\))*?\.txt", re.S
)


def test_text_templates_go_through_the_text_engine():
    offenders = [
        str(path.relative_to(ROOT))
        for path in python_files()
        if path.relative_to(ROOT).parts[0] not in ("tests", "bench", "scripts")
        and _HTML_RENDER_OF_TXT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], f"render .txt with core.textmail.render_text in: {offenders}"
