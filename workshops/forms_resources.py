"""Forms of the loan, consumables and briefing pages. Parsing only; the services decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.forms import DomainErrorForm
from people.models import School

from .forms import DATE_INPUT, DATETIME_FORMATS, DATETIME_INPUT
from .models import Consumable, ConsumableStock, Equipment, EquipmentType, Workshop


class PersonField(forms.EmailField):
    """A person by the e-mail address of their account."""

    def clean(self, value):
        email = super().clean(value)
        person = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("Es gibt kein Konto mit dieser E-Mail-Adresse."))
        return person


class LendForm(DomainErrorForm):
    equipment = forms.ModelChoiceField(label=_("Gerät"), queryset=Equipment.objects.none())
    borrower = PersonField(label=_("E-Mail-Adresse der ausleihenden Person"))
    start = forms.DateTimeField(
        label=_("ab"), required=False, widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS,
        help_text=_("leer = jetzt"),
    )  # fmt: skip
    expected_return = forms.DateTimeField(
        label=_("Rückgabe bis"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    brief_now = forms.BooleanField(
        label=_("Ich habe die Person vor der Ausleihe sicherheitsunterwiesen."), required=False
    )
    note = forms.CharField(label=_("Notiz"), required=False, max_length=200)

    def __init__(self, *args, school_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["equipment"].queryset = Equipment.objects.filter(
            school_id__in=list(school_ids), status=Equipment.Status.AVAILABLE
        ).select_related("type")


class ConsumableForm(DomainErrorForm):
    school = forms.ModelChoiceField(label=_("Schule"), queryset=School.objects.none())
    name = forms.CharField(label=_("Bezeichnung"), max_length=120)
    material = forms.CharField(label=_("Material"), max_length=60)
    colour = forms.CharField(label=_("Farbe"), max_length=40, required=False)
    unit = forms.ChoiceField(label=_("Einheit"), choices=Consumable.Unit.choices)

    def __init__(self, *args, school_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        schools = School.objects.filter(pk__in=list(school_ids))
        self.fields["school"].queryset = schools
        if len(school_ids) == 1:
            self.fields["school"].initial = next(iter(school_ids))


class ReceiveForm(DomainErrorForm):
    consumable = forms.ModelChoiceField(label=_("Material"), queryset=Consumable.objects.none())
    workshop = forms.ModelChoiceField(label=_("Lernwerkstatt"), queryset=Workshop.objects.none())
    quantity = forms.DecimalField(label=_("Menge"), min_value=0, max_digits=12, decimal_places=2)
    minimum = forms.DecimalField(
        label=_("Mindestbestand"), required=False, min_value=0, max_digits=12, decimal_places=2
    )

    def __init__(self, *args, school_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = list(school_ids)
        self.fields["consumable"].queryset = Consumable.objects.filter(school_id__in=ids)
        self.fields["workshop"].queryset = Workshop.objects.filter(school_id__in=ids)


def stock_label(stock: ConsumableStock) -> str:
    unit = stock.consumable.get_unit_display()
    return f"{stock.consumable} ({stock.workshop.name}: {stock.quantity} {unit})"


class UseForm(DomainErrorForm):
    stock = forms.ModelChoiceField(label=_("Material"), queryset=ConsumableStock.objects.none())
    quantity = forms.DecimalField(label=_("Menge"), min_value=0, max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("Notiz"), required=False, max_length=200)

    def __init__(self, *args, school_ids=(), workshop_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        stocks = ConsumableStock.objects.filter(
            consumable__school_id__in=list(school_ids)
        ).select_related("consumable", "workshop")
        if workshop_id is not None:
            stocks = stocks.filter(workshop_id=workshop_id)
        self.fields["stock"].queryset = stocks
        self.fields["stock"].label_from_instance = stock_label


class LoadForm(DomainErrorForm):
    """Which stock a machine is loaded with; empty unloads it."""

    stock = forms.ModelChoiceField(
        label=_("Eingelegtes Material"),
        queryset=ConsumableStock.objects.none(),
        required=False,
        empty_label=_("– kein Material –"),
        help_text=_("Der gemeldete Filamentverbrauch wird nach jedem Termin davon abgebucht."),
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stock"].queryset = (
            ConsumableStock.objects.filter(consumable__school_id=item.school_id)
            .select_related("consumable", "workshop")
            .order_by("consumable__material", "consumable__name", "workshop__name")
        )
        self.fields["stock"].label_from_instance = stock_label


class BriefingForm(DomainErrorForm):
    person = PersonField(label=_("E-Mail-Adresse der unterwiesenen Person"))
    equipment_type = forms.ModelChoiceField(
        label=_("Geräteart"), queryset=EquipmentType.objects.filter(requires_briefing=True)
    )
    given_on = forms.DateField(label=_("unterwiesen am"), widget=DATE_INPUT, required=False)
