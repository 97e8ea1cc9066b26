"""The production settings pass Django's deployment checks, and the models match the migrations.
Both run `manage.py` in a fresh process, as an operator would."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def manage(*args, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "TESTING", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_check_deploy_has_no_issues(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",  # any message at all, even a hint, fails the run
        env={
            "SECRET_KEY": secrets.token_urlsafe(50)[:50],
            "ALLOWED_HOSTS": "example.org",
            "DEBUG": "0",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_models_and_migrations_agree(tmp_path):
    result = manage(
        "makemigrations",
        "--check",
        "--dry-run",
        env={"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'migrations.sqlite3'}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout
