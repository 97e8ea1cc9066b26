"""Django's admin pages, guarded against query and form values their widgets cannot render.

When an admin form is posted back with an invalid value in an autocomplete field ("abc" or
"³" for an id), the form shows its error, but rendering the widget again looks the posted
value up in the database unconverted, and the lookup raises ValueError: a 500 instead of the
error message. The guard drops values the target field cannot convert before the lookup, so
the page renders with the field's error."""

from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError


def _convertible(model_field, value) -> bool:
    try:
        prepared = model_field.get_prep_value(model_field.to_python(value))
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return not isinstance(prepared, int) or -(2**63) <= prepared < 2**63


def guard_autocomplete() -> None:
    if getattr(AutocompleteMixin.optgroups, "guarded", False):
        return
    original = AutocompleteMixin.optgroups

    def optgroups(self, name, value, attr=None):
        opts = self.field.remote_field.model._meta
        target = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
        value = [v for v in value if v in (None, "") or _convertible(target, v)]
        return original(self, name, value, attr)

    optgroups.guarded = True
    AutocompleteMixin.optgroups = optgroups


def _plausible_initial(model, initial: dict) -> dict:
    from django.core.exceptions import FieldDoesNotExist
    from django.db import models

    kept = {}
    for name, value in initial.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            kept[name] = value
            continue
        if isinstance(field, models.DateField | models.TimeField) and isinstance(value, str):
            try:
                value = field.to_python(value)
            except ValidationError:
                continue
        kept[name] = value
    return kept


def guard_changeform_initial() -> None:
    """The admin's add page takes initial values from the query (?start=...); a date or time
    there reaches the date widget as text, which it cannot render (AttributeError, a 500).
    Such a value is converted as the field would, or left out when it is no date."""
    from django.contrib.admin import ModelAdmin

    if getattr(ModelAdmin.get_changeform_initial_data, "guarded", False):
        return
    original = ModelAdmin.get_changeform_initial_data

    def get_changeform_initial_data(self, request):
        return _plausible_initial(self.model, original(self, request))

    get_changeform_initial_data.guarded = True
    ModelAdmin.get_changeform_initial_data = get_changeform_initial_data
