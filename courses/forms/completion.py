"""The coordinator's correction of one participant's outcome on the completion review."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DomainErrorForm
from core.validators import ID_MAX

from ..models import Enrolment

OUTCOMES = [(s, Enrolment.Status(s).label) for s in Enrolment.Status.OUTCOMES]


class CorrectionForm(DomainErrorForm):
    enrolment = forms.IntegerField(min_value=1, max_value=ID_MAX, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Ergebnis"), choices=OUTCOMES)
    reason = forms.CharField(label=_("Begründung"), max_length=200, required=False)
