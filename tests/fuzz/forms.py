"""The forms a page offers, read from its HTML as a browser would: action, method and fields
with their current values, so the fuzz posts what a user could (and worse)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageForm:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> candidate values


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[PageForm] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(PageForm(a.get("action", ""), a.get("method", "get").lower()))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            if a.get("type") in ("checkbox", "radio"):
                form.fields.setdefault(name, []).append(a.get("value", "on"))
            elif a.get("type") != "file":
                form.fields.setdefault(name, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            form.fields.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
            form.fields.setdefault(name, [])
        elif tag == "option" and self._select:
            form.fields[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


# The layout's own forms: signing out would change the role under test, and the language switch
# is a page of its own.
SKIP_ACTIONS = ("/accounts/logout/", "/i18n/setlang/")


def page_forms(html: str) -> list[PageForm]:
    reader = _Reader()
    reader.feed(html)
    return [f for f in reader.forms if not f.action.startswith(SKIP_ACTIONS)]
