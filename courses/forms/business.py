"""The business area's booking form: one run, several of the business's people."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DomainErrorForm
from people.models import Business, User
from people.selectors import confirmed_people

from ..models import CourseRun
from ..selectors import catalogue


class RunChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, run):
        free = (
            _("%(n)s frei") % {"n": run.seats_left}
            if run.seats_left
            else _("ausgebucht, Warteliste")
        )
        return f"{run} – {run.school.name} ({free})"


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.email


class BusinessBookingForm(DomainErrorForm):
    run = RunChoiceField(queryset=CourseRun.objects.none(), label=gettext_lazy("Kurs"))
    participants = PeopleField(
        queryset=User.objects.none(),
        label=gettext_lazy("Teilnehmende"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Freie Plätze werden in dieser Reihenfolge vergeben, danach Warteliste."
        ),
    )

    requirements_confirmed = forms.BooleanField(
        required=False,
        label=gettext_lazy(
            "Die ausgewählten Personen gehören zur Zielgruppe des Kurses und erfüllen seine "
            "Voraussetzungen."
        ),
        help_text=gettext_lazy(
            "Nötig bei Kursen, die eine Zielgruppe oder Voraussetzungen nennen."
        ),
    )

    def __init__(self, *args, business: Business, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.now()
        self.fields["run"].queryset = catalogue(now=now).filter(booking_opens_at__lte=now)
        # Only people the business confirmed: a request gives it nobody to book for.
        self.fields["participants"].queryset = confirmed_people(business)
