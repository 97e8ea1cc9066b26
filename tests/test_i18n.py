"""German is the source language; every string marked for translation must have an English text,
and the language must follow the user's choice, then the browser."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(settings.BASE_DIR)
EN_PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
EN_MO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.mo"
# Folders that hold no strings of ours (and are large): never copied for makemessages.
SKIP = {
    ".venv",
    "node_modules",
    "static",
    "staticfiles",
    "media",
    ".git",
    "ci-artifacts",
    ".pytest_cache",
    ".ruff_cache",
    "__pycache__",
    "bench",
    "docker",
}


def _untranslated(po: polib.POFile) -> list[str]:
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.fuzzy:
            missing.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                missing.append(entry.msgid)
        elif not entry.msgstr:
            missing.append(entry.msgid)
    return missing


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext (xgettext, msgmerge)")
def test_every_string_marked_for_translation_has_an_english_text(tmp_path):
    """Runs makemessages over a copy of the code, merged with the committed English catalogue,
    so a string someone marked today without translating it fails here, not in front of a user."""
    copy = tmp_path / "src"

    def ignore(folder, names):
        return [n for n in names if n in SKIP or n.endswith((".sqlite3", ".mo"))]

    shutil.copytree(ROOT, copy, ignore=ignore)
    (copy / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    shutil.copy(EN_PO, copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "TESTING": "1"}
    env.pop("DATABASE_URL", None)  # makemessages needs no database; never touch a real one
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "--no-obsolete",
            "--ignore=.venv",
            "--ignore=node_modules",
            # An app's own locale/ folder would take that app's strings out of the project
            # catalogue; the project catalogue must hold them all.
            "--ignore=*/locale",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    po = polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    assert len(po) > 100, "makemessages found suspiciously few strings"
    missing = _untranslated(po)
    assert not missing, (
        "Strings without English translation (run makemessages, fill locale/en, compilemessages):\n"
        + "\n".join(missing[:50])
    )


def test_committed_english_catalogue_is_complete_and_compiled():
    """The .mo file is committed so a laptop without gettext still speaks English; it must hold
    every translation of the .po file next to it."""
    po = polib.pofile(str(EN_PO))
    assert not _untranslated(po)
    mo = polib.mofile(str(EN_MO))
    compiled = {entry.msgid: entry.msgstr for entry in mo}
    stale = [
        e.msgid
        for e in po
        if not e.obsolete and not e.msgid_plural and e.msgstr and compiled.get(e.msgid) != e.msgstr
    ]
    assert not stale, f"locale/en django.mo is older than django.po: {stale[:10]}"


@pytest.mark.django_db
def test_page_is_german_by_default(client):
    response = client.get(reverse("courses:catalogue"))
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert "Zum Inhalt springen" in html
    assert response["Content-Language"] == "de"


@pytest.mark.django_db
def test_browser_asking_for_english_gets_english(client):
    response = client.get(reverse("courses:catalogue"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Skip to content" in html
    assert "Zum Inhalt springen" not in html


@pytest.mark.django_db
def test_language_cookie_beats_the_browser(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("courses:catalogue"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Skip to content" in html


@pytest.mark.django_db
def test_switching_language_is_saved_on_the_account_and_follows_the_user(client):
    user = UserFactory(language="de")
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"

    # A new browser without the cookie and with a German Accept-Language: the account decides.
    other = client.__class__()
    other.force_login(user)
    html = other.get(reverse("courses:catalogue"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Skip to content" in html


@pytest.mark.django_db
def test_anonymous_switch_sets_only_the_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Skip to content" in client.get("/").content.decode()


@pytest.mark.django_db
def test_unknown_language_is_ignored(client):
    user = UserFactory(language="de")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "de"
