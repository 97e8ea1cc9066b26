"""Facts about the source tree that the house checks share: where it is, which packages are ours
(the import-linter root packages in pyproject.toml, so a new app is checked the day it is added
there) and which Python files count."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Directories that hold no source of ours.
_NOT_SOURCE = {"node_modules", "__pycache__", "staticfiles", "media", "ci-artifacts", "venv"}


def root_packages() -> list[str]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["tool"]["importlinter"]["root_packages"]


def python_files(*tops: str, root: Path = ROOT) -> list[Path]:
    """Every .py file of the tree (or below the given top-level folders), leaving out hidden
    folders (the virtualenv among them) and folders that hold no source."""
    found = []
    for base in [root / top for top in tops] if tops else [root]:
        for path in base.rglob("*.py"):
            folders = path.relative_to(root).parts[:-1]
            if not any(part.startswith(".") or part in _NOT_SOURCE for part in folders):
                found.append(path)
    return sorted(found)


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)
