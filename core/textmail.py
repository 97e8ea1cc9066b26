"""Plain-text e-mail bodies and subjects: rendered by the "text" template engine, which never
HTML-escapes (an escaped `O&#x27;Brien` is wrong in text/plain). HTML parts go through the default
engine and stay escaped. Every .txt e-mail template is rendered here (tests/house holds that)."""

from django.template.loader import select_template


def render_text(template_name: str | list[str], context: dict | None = None) -> str:
    """The first template found of `template_name` (a name or a list of candidates)."""
    names = [template_name] if isinstance(template_name, str) else template_name
    return select_template(names, using="text").render(context or {})
