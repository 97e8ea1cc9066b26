from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DomainErrorForm
from core.validators import single_line


class BarrierReportForm(DomainErrorForm):
    message = forms.CharField(
        label=_("Welche Barriere ist Ihnen begegnet?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    page_url = forms.CharField(
        label=_("Auf welcher Seite?"),
        required=False,
        max_length=500,
        validators=[single_line],
        help_text=_("Adresse oder Name der Seite, wenn Sie sie wissen."),
    )
    name = forms.CharField(
        label=_("Ihr Name"), required=False, max_length=200, validators=[single_line]
    )
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        required=False,
        help_text=_("Nur wenn Sie eine Antwort wünschen."),
    )
