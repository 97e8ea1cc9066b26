"""Django's admin autocomplete widget, guarded against values its field cannot hold.

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
