"""One voice: the German pages and e-mails address people formally ("Sie"), also where the text
comes from django-allauth, whose own German says "du" (locale_allauth/ replaces those entries)."""

import re
from pathlib import Path

import allauth
import polib
from django.utils import translation

INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*|Du|Dich|Dir|Dein\w*|gib|bestätige|melde dich)\b")
ROOT = Path(__file__).resolve().parents[2]


def _informal(text: str) -> bool:
    return bool(INFORMAL.search(text))


def _translate(entry) -> str:
    if entry.msgctxt:
        return translation.pgettext(entry.msgctxt, entry.msgid)
    return translation.gettext(entry.msgid)


def test_allauth_speaks_formally_through_our_catalogue():
    source = polib.pofile(str(Path(allauth.__file__).parent / "locale/de/LC_MESSAGES/django.po"))
    informal = [e for e in source if not e.obsolete and _informal(e.msgstr)]
    assert len(informal) > 20, "allauth's German still has its informal entries to replace"
    with translation.override("de"):
        still = [e.msgid for e in informal if _informal(_translate(e))]
    assert not still, f"informal German from allauth: {still[:5]}"


def test_our_own_catalogue_and_templates_say_sie():
    own = polib.pofile(str(ROOT / "locale/de/LC_MESSAGES/django.po"))
    assert not [e.msgid for e in own if not e.obsolete and _informal(e.msgstr)]
    offenders = []
    for path in (ROOT / "templates").rglob("*"):
        if path.suffix in {".html", ".txt"} and _informal(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders
