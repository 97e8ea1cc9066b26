"""Forms of the coordinator's participant management and messages. They parse input only; the
booking and message services decide, and their errors land on the field they name."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.formatting import local_datetime
from core.forms import DomainErrorForm

from ..models.messages import BODY_MAX, SUBJECT_MAX
from ..services.booking.staff import REASON_MAX


class BookByHandForm(DomainErrorForm):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        help_text=_(
            "Hat die Person schon ein Konto, wird es verwendet. Sonst wird ein Konto angelegt; "
            "die Person erhält eine E-Mail, wie sie ein Passwort festlegt."
        ),
    )
    first_name = forms.CharField(
        label=_("Vorname"),
        max_length=150,
        required=False,
        help_text=_("Nur für ein neues Konto nötig."),
    )
    last_name = forms.CharField(
        label=_("Nachname"),
        max_length=150,
        required=False,
        help_text=_("Nur für ein neues Konto nötig."),
    )
    language = forms.ChoiceField(
        label=_("Sprache der E-Mails"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        help_text=_("Nur für ein neues Konto; ein bestehendes behält seine Sprache."),
    )


class MoveForm(DomainErrorForm):
    target = forms.ModelChoiceField(
        label=_("Neuer Termin"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Bitte einen der angebotenen Termine wählen.")},
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets
        self.fields["target"].label_from_instance = self._label

    @staticmethod
    def _label(run) -> str:
        left = getattr(run, "seats_left", None)
        if left is None:
            return str(run)
        return _("%(run)s – %(n)s frei") % {"run": run, "n": left}


class CancelForm(DomainErrorForm):
    reason = forms.CharField(
        label=_("Grund"),
        max_length=REASON_MAX,
        required=False,
        help_text=_("Steht in der E-Mail an die Person und im Protokoll."),
    )

    def __init__(self, *args, reason_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
        self.fields["reason"].error_messages["required"] = _(
            "Bitte einen Grund für die Stornierung angeben."
        )


class RunMessageForm(DomainErrorForm):
    session = forms.TypedChoiceField(
        label=_("Betrifft"),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Bitte einen der angebotenen Termine wählen.")},
    )
    subject = forms.CharField(label=_("Betreff"), max_length=SUBJECT_MAX)
    body = forms.CharField(
        label=_("Nachricht"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Die E-Mail nennt Kurs, Schule und Termin von selbst."),
    )
    include_waiting = forms.BooleanField(label=_("Auch an die Warteliste senden"), required=False)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = {s.pk: s for s in sessions}
        choices = [("", _("alle Termine des Kurses"))]
        choices += [(s.pk, _session_label(s)) for s in sessions]
        self.fields["session"].choices = choices

    def clean_session(self):
        value = self.cleaned_data.get("session")
        return self.sessions.get(value) if value is not None else None


def _session_label(session) -> str:
    return _("nur Termin am %(when)s") % {"when": local_datetime(session.start)}
