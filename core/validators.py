"""Validators every entry point shares (forms, API serializers, admin through the model fields)."""

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Line and paragraph separators break lines as surely as \n does in e-mails and exports.
_LINE_BREAKS = {"\u2028", "\u2029", "\u0085"}


def has_control_characters(value: str) -> bool:
    return any(ch in _LINE_BREAKS or unicodedata.category(ch) == "Cc" for ch in value)


# The same rule as a regular expression (Unicode category Cc is U+0000–U+001F and U+007F–U+009F),
# for consumers that read it from the OpenAPI schema (drf-spectacular prints a RegexValidator's
# pattern), such as schemathesis and generated clients.
SINGLE_LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"


@deconstructible
class SingleLineValidator(RegexValidator):
    """A name, a title, a subject line: no line breaks, tabs, NUL or other control characters.
    Without it a name like "Lena\\nBcc: ..." writes text into e-mails sent from our address."""

    regex = SINGLE_LINE_PATTERN
    message = _("Bitte ohne Zeilenumbrüche und Steuerzeichen eingeben.")
    code = "control_characters"

    def __call__(self, value) -> None:
        if isinstance(value, str) and has_control_characters(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, SingleLineValidator)

    def __hash__(self) -> int:
        return hash(SingleLineValidator)


single_line = SingleLineValidator()


def one_line(text: str) -> str:
    """Text for a single-line slot (an e-mail subject, a header): every run of whitespace and
    control characters becomes one space, so a value can never add a line."""
    cleaned = "".join(" " if has_control_characters(ch) else ch for ch in str(text))
    return " ".join(cleaned.split())


def contains_nul(value) -> bool:
    """PostgreSQL's text cannot hold NUL: a value with one fails in the database, not in a form."""
    return isinstance(value, str) and "\x00" in value


# The largest id a bigint column holds has 19 digits; 18 always fit.
ID_MAX_DIGITS = 18
ID_MAX = 2**63 - 1


def parse_id(value) -> int | None:
    """A database id from a URL or query parameter, or None. ASCII digits only: "³" and "٣" pass
    str.isdigit() but int("³") fails, and no id of ours is written in other scripts."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > ID_MAX_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


# Dates people can mean: a session, a deadline, a birthday. Python's date runs from year 1 to
# 9999, so 0001-01-01 minus a day (or 9999-12-31 plus one) raises OverflowError far from the form.
MIN_YEAR = 1900
MAX_YEAR = 2100


@deconstructible
class PlausibleDateValidator:
    """A date or time between MIN_YEAR and MAX_YEAR, so every later calculation stays in range."""

    code = "date_out_of_range"

    def __call__(self, value) -> None:
        year = getattr(value, "year", None)
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise ValidationError(
                _("Bitte ein Datum zwischen %(min)s und %(max)s angeben."),
                code=self.code,
                params={"min": MIN_YEAR, "max": MAX_YEAR},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, PlausibleDateValidator)


plausible_date = PlausibleDateValidator()


# Plausible ranges of the numbers people enter: far below what a column holds (2**31), far above
# what a Lernwerkstatt needs. A capacity of 10**12 is a typing error, not a course.
MAX_SEATS = 1000  # capacity, seats, participants of a run, a room or a request
MAX_PER_UNIT = 100  # participants sharing one item of equipment
MAX_INTERVAL_DAYS = 3660  # maintenance every ten years at most
MAX_INTERVAL_HOURS = 100_000  # operating hours between two maintenances
MAX_MINUTES = 24 * 60  # minutes present on one day


def parse_plausible_date(value) -> dt.date | None:
    """A date from a query parameter (ISO 8601, "2026-03-02"), or None when it is no date or
    lies outside MIN_YEAR..MAX_YEAR: the views step from it by days and weeks."""
    try:
        day = dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None
