"""KERN's class names on Django's widgets, so every form control looks and behaves like a KERN
one (selects with KERN's arrow, file inputs as KERN's drop zone) without a class in each form."""

from django import template

register = template.Library()

# widget_type (BoundField.widget_type) -> KERN class
KERN_CLASSES = {
    "select": "kern-form-input__select",
    "nullbooleanselect": "kern-form-input__select",
    "selectmultiple": "kern-form-input__select",
    "file": "kern-form-input__input",
    "clearablefile": "kern-form-input__input",
    # Single checkboxes keep the site's own check look (site.css), as the grouped ones do.
    "checkbox": "",
    "textarea": "kern-form-input__input",
}


@register.filter
def kern_widget(field):
    """Render a bound field's widget with its KERN class added to any class it already has."""
    kern_class = KERN_CLASSES.get(field.widget_type, "kern-form-input__input")
    if not kern_class:
        return field.as_widget()
    existing = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {kern_class}".strip()})
