"""Validators every entry point shares (forms, API serializers, admin through the model fields)."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Line and paragraph separators break lines as surely as \n does in e-mails and exports.
_LINE_BREAKS = {"\u2028", "\u2029", "\u0085"}


def has_control_characters(value: str) -> bool:
    return any(ch in _LINE_BREAKS or unicodedata.category(ch) == "Cc" for ch in value)


@deconstructible
class SingleLineValidator:
    """A name, a title, a subject line: no line breaks, tabs, NUL or other control characters.
    Without it a name like "Lena\\nBcc: ..." writes text into e-mails sent from our address."""

    message = _("Bitte ohne Zeilenumbrüche und Steuerzeichen eingeben.")
    code = "control_characters"

    def __call__(self, value) -> None:
        if isinstance(value, str) and has_control_characters(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, SingleLineValidator)


single_line = SingleLineValidator()


def one_line(text: str) -> str:
    """Text for a single-line slot (an e-mail subject, a header): every run of whitespace and
    control characters becomes one space, so a value can never add a line."""
    cleaned = "".join(" " if has_control_characters(ch) else ch for ch in str(text))
    return " ".join(cleaned.split())
