"""The base of every form: the input rules every field of a kind shares, and the place a
service's domain error lands on."""

from django import forms
from django.forms.forms import DeclarativeFieldsMetaclass

from .validators import plausible_date, single_line

# Widgets whose text may span lines, or is never stored as text (passwords are hashed).
MULTI_LINE_WIDGETS = (forms.Textarea, forms.PasswordInput)


def is_single_line(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(field.widget, MULTI_LINE_WIDGETS)


def harden(fields) -> None:
    """The rules for every field of a kind, so that no form forgets one: a one-line text refuses
    line breaks and control characters (core.validators.single_line), a date or time lies in the
    years anyone means (core.validators.plausible_date). Numbers name their own plausible range
    (tests/house checks that each has a maximum)."""
    for field in fields.values():
        if is_single_line(field) and single_line not in field.validators:
            field.validators.append(single_line)
        is_date = isinstance(
            field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField
        )
        if is_date and plausible_date not in field.validators:
            field.validators.append(plausible_date)


class HardenedFormMetaclass(DeclarativeFieldsMetaclass):
    def __new__(mcs, name, bases, attrs):
        new_class = super().__new__(mcs, name, bases, attrs)
        harden(new_class.base_fields)
        return new_class


class DomainErrorForm(forms.Form, metaclass=HardenedFormMetaclass):
    """Django 5.2 ties errors and help text to each input (aria-describedby, aria-invalid);
    components/field.html renders them under those ids. A service's DomainError goes on the field
    it names, or on the form when the form shows no such field."""

    def add_domain_error(self, error) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)
