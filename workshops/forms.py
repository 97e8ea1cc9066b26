"""Forms and filters for the equipment pages. Parsing only; workshops.services decides."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DomainErrorForm
from core.validators import MAX_INTERVAL_DAYS, MAX_INTERVAL_HOURS

from .models import Equipment, EquipmentType, MaintenanceRecord, Workshop
from .selectors import UTILISATION_DAYS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


class EquipmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Suche"), method="search")
    type = django_filters.ModelChoiceFilter(
        label=_("Geräteart"), queryset=EquipmentType.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Equipment.Status.choices)
    workshop = django_filters.ModelChoiceFilter(
        label=_("Lernwerkstatt"), queryset=Workshop.objects.none()
    )

    class Meta:
        model = Equipment
        fields = ["q", "type", "status", "workshop"]

    def __init__(self, *args, school_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["workshop"].queryset = Workshop.objects.filter(school_id__in=list(school_ids))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(inventory_number__icontains=value)
            | Q(name__icontains=value)
            | Q(serial_number__icontains=value)
            | Q(manufacturer__icontains=value)
            | Q(model__icontains=value)
            | Q(type__name__icontains=value)
        )


class EquipmentForm(DomainErrorForm):
    type = forms.ModelChoiceField(label=_("Geräteart"), queryset=EquipmentType.objects.all())
    inventory_number = forms.CharField(label=_("Inventarnummer"), max_length=50)
    name = forms.CharField(label=_("Bezeichnung"), max_length=200, required=False)
    workshop = forms.ModelChoiceField(label=_("Lernwerkstatt"), queryset=None, required=False)
    serial_number = forms.CharField(label=_("Seriennummer"), max_length=100, required=False)
    manufacturer = forms.CharField(label=_("Hersteller"), max_length=100, required=False)
    model = forms.CharField(label=_("Modell"), max_length=100, required=False)
    purchase_date = forms.DateField(label=_("Anschaffungsdatum"), required=False, widget=DATE_INPUT)
    operating_hours = forms.DecimalField(
        label=_("Betriebsstunden"), max_digits=9, decimal_places=1, min_value=0, initial=0
    )
    notes = forms.CharField(
        label=_("Notizen"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["workshop"].queryset = Workshop.objects.filter(school=school)

    @classmethod
    def initial_for(cls, item: Equipment) -> dict:
        return {name: getattr(item, name) for name in cls.base_fields}


class SchoolChoiceForm(DomainErrorForm):
    school = forms.ModelChoiceField(label=_("Schule"), queryset=None)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class StatusForm(DomainErrorForm):
    status = forms.ChoiceField(label=_("Neuer Status"), choices=Equipment.Status.choices)
    until = forms.DateTimeField(
        label=_("Voraussichtlich wieder einsatzbereit ab"),
        help_text=_(
            "Nur bei Wartung oder defekt. Leer: bis auf Weiteres. Kurstermine danach planen "
            "mit dem Gerät."
        ),
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        required=False,
    )
    note = forms.CharField(label=_("Bemerkung"), max_length=300, required=False)


class DefectForm(DomainErrorForm):
    note = forms.CharField(
        label=_("Was ist defekt?"),
        max_length=300,
        help_text=_("Zum Beispiel: Düse verstopft, Fehlermeldung E12, Not-Aus klemmt."),
    )


class MaintenanceForm(DomainErrorForm):
    kind = forms.ChoiceField(label=_("Art"), choices=MaintenanceRecord.Kind.choices)
    performed_on = forms.DateField(label=_("durchgeführt am"), widget=DATE_INPUT)
    performed_by_name = forms.CharField(label=_("durchgeführt von"), max_length=200, required=False)
    operating_hours_at = forms.DecimalField(
        label=_("Betriebsstunden dabei"),
        max_digits=9,
        decimal_places=1,
        required=False,
        min_value=0,
    )
    cost = forms.DecimalField(
        label=_("Kosten (€)"), max_digits=10, decimal_places=2, required=False, min_value=0
    )
    notes = forms.CharField(
        label=_("Notizen"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    new_status = forms.ChoiceField(
        label=_("Status danach"),
        choices=[("", _("unverändert"))] + list(Equipment.Status.choices),
        required=False,
    )

    def clean_performed_on(self):
        value = self.cleaned_data["performed_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Eine Wartung kann nicht in der Zukunft liegen."))
        return value


class ScheduleForm(DomainErrorForm):
    kind = forms.ChoiceField(label=_("Art"), choices=MaintenanceRecord.Kind.choices)
    for_type = forms.BooleanField(
        label=_("für alle Geräte dieser Art an der Schule"), required=False
    )
    interval_days = forms.IntegerField(
        label=_("alle N Tage"), required=False, min_value=1, max_value=MAX_INTERVAL_DAYS
    )
    interval_hours = forms.IntegerField(
        label=_("alle N Betriebsstunden"),
        required=False,
        min_value=1,
        max_value=MAX_INTERVAL_HOURS,
    )
    description = forms.CharField(label=_("Beschreibung"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("interval_days") and not data.get("interval_hours"):
            self.add_error(
                "interval_days", _("Bitte ein Intervall in Tagen oder Betriebsstunden angeben.")
            )
        return data


class ReservationForm(DomainErrorForm):
    start = forms.DateTimeField(
        label=_("Beginn"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    end = forms.DateTimeField(
        label=_("Ende"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    purpose = forms.CharField(
        label=_("Zweck"),
        max_length=200,
        help_text=_("z. B. „Ausleihe Tischlerei Schröder“"),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("Das Ende muss nach dem Beginn liegen."))
        return data


class PeriodForm(DomainErrorForm):
    start = forms.DateField(label=_("von"), widget=DATE_INPUT)
    end = forms.DateField(label=_("bis einschließlich"), widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("Das Ende liegt vor dem Beginn."))
            elif (end - start).days > 366 * 3:
                self.add_error("end", _("Bitte höchstens drei Jahre auswählen."))
        return data

    @staticmethod
    def default_initial() -> dict:
        today = timezone.localdate()
        return {"start": today, "end": today + dt.timedelta(days=UTILISATION_DAYS - 1)}
