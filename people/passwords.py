"""A password rule Django's validators lack: every new password (sign-up, change, reset, set, the
admin) is at most PASSWORD_MAX_LENGTH characters and holds no control characters, which no
keyboard types on purpose and which would lock their owner out of another device."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.validators import has_control_characters

PASSWORD_MAX_LENGTH = 256


class PlainPasswordValidator:
    def validate(self, password, user=None) -> None:
        if len(password) > PASSWORD_MAX_LENGTH:
            raise ValidationError(
                _("Das Passwort darf höchstens %(max)d Zeichen lang sein.")
                % {"max": PASSWORD_MAX_LENGTH},
                code="password_too_long",
            )
        if has_control_characters(password):
            raise ValidationError(
                _("Bitte ohne Zeilenumbrüche und Steuerzeichen eingeben."),
                code="password_control_characters",
            )

    def get_help_text(self) -> str:
        return _("Höchstens %(max)d Zeichen, ohne Zeilenumbrüche und Steuerzeichen.") % {
            "max": PASSWORD_MAX_LENGTH
        }
