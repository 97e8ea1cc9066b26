"""The competences a course teaches, from a recognised framework: DigComp 2.2, the European
Digital Competence Framework for Citizens (the data file names its source). MOOChub's `teaches`
takes skills of ESCO, DigComp or GRETA only; free-text learning outcomes stay in the description.
A course stores the numbers of its competences ("3.4"), in the framework's order."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

DATA_FILE = Path(__file__).parent / "data" / "digcomp-2.2.json"


@dataclass(frozen=True)
class Competence:
    code: str
    en: str
    de: str

    @property
    def label(self) -> str:
        """The number and the title in the language of the request (German unless English)."""
        title = self.en if (get_language() or "de").startswith("en") else self.de
        return f"{self.code} {title}"


@dataclass(frozen=True)
class Framework:
    name: str
    version: str
    url: str
    competences: dict[str, Competence]


@cache
def framework() -> Framework:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return Framework(
        name=data["framework"],
        version=data["version"],
        url=data["url"],
        competences={
            c["code"]: Competence(c["code"], c["en"], c["de"]) for c in data["competences"]
        },
    )


def choices() -> list[tuple[str, str]]:
    """Form choices; a callable, so the labels follow the language of each request."""
    return [(c.code, c.label) for c in framework().competences.values()]


def ordered(codes) -> list[str]:
    """The known codes among `codes`, once each, in the framework's order."""
    wanted = set(codes or ())
    return [code for code in framework().competences if code in wanted]


def competences_of(codes) -> list[Competence]:
    known = framework().competences
    return [known[code] for code in ordered(codes)]


@deconstructible
class CompetenceListValidator:
    """A list of competence numbers the framework has, each once."""

    code = "unknown_competence"

    def __call__(self, value) -> None:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(_("Eine Liste von Kompetenznummern erwartet."), code=self.code)
        unknown = [v for v in value if v not in framework().competences]
        twice = sorted({v for v in value if value.count(v) > 1})
        if unknown or twice:
            raise ValidationError(
                _("Unbekannte oder doppelte Kompetenz: %(codes)s"),
                code=self.code,
                params={"codes": ", ".join(unknown or twice)},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, CompetenceListValidator)


validate_competences = CompetenceListValidator()
