"""The base of every form that a service's domain error can land on."""

from django import forms


class DomainErrorForm(forms.Form):
    """Django 5.2 ties errors and help text to each input (aria-describedby, aria-invalid);
    components/field.html renders them under those ids. A service's DomainError goes on the field
    it names, or on the form when the form shows no such field."""

    def add_domain_error(self, error) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)
