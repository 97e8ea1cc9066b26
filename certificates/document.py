"""The certificate file as issued: reportlab draws it, pikepdf makes it a tagged PDF/A-3b."""

from __future__ import annotations

from .pdf import render_tagged
from .pdfa import make_pdfa


def certificate_file(data: dict) -> bytes:
    """The issued PDF of the frozen certificate `data`."""
    content, marked = render_tagged(data)
    return make_pdfa(content, marked=marked)
