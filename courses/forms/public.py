"""Forms of the participant's own pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DomainErrorForm
from core.validators import single_line


class DeleteAccountForm(DomainErrorForm):
    password = forms.CharField(
        label=_("Ihr Passwort"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Zur Bestätigung, dass Sie es wirklich sind."),
    )
    confirm = forms.BooleanField(
        label=_("Ja, mein Konto und meine Anmeldungen sollen gelöscht werden."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Das Passwort ist nicht richtig."))
        return password


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Code vom Bildschirm im Raum"),
        max_length=12,
        validators=[single_line],
        help_text=_("Sechs Ziffern; der Code wechselt alle 30 Sekunden."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )
