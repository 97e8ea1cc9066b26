"""PDF/A-3b with a structure tree, from the PDF reportlab drew (pikepdf).

reportlab writes the page content with marked-content sequences (see `certificates.tagging`);
this module adds what reportlab cannot: the structure tree that points at them (headings,
paragraphs, list items, figures with alternate text), MarkInfo, the document title shown in the
window title, associated files (the signed Open Badge), and the PDF/A-3b declaration. pikepdf's
PDF/A preparation writes the XMP metadata (pdfaid part 3, conformance B, dc:title, dc:creator from
the document information) and the sRGB output intent with the ICC profile pikepdf ships.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import cache

import pikepdf
from pikepdf import Array, Dictionary, Name, String
from pikepdf.models.metadata import encode_pdf_date

from .tagging import MarkedContent

FLAVOUR = "3b"


@dataclass(frozen=True)
class Attachment:
    """A file carried inside the PDF as a PDF/A-3 associated file."""

    filename: str
    content: bytes
    mime_type: str
    description: str
    relationship: str = "Alternative"  # Source, Data, Alternative, Supplement or Unspecified


@cache
def _pdfa():
    # Imported on first use: it checks its optional dependencies (fontTools, jsonschema) on import.
    import pikepdf.pdfa

    return pikepdf.pdfa


@cache
def save_kwargs() -> dict:
    """The pikepdf save settings PDF/A-3b needs (no encryption, XMP kept as written, …)."""
    return dict(_pdfa().resolve_save_kwargs(FLAVOUR))


def make_pdfa(
    content: bytes,
    *,
    marked: list[MarkedContent],
    attachments: tuple[Attachment, ...] = (),
    now: dt.datetime | None = None,
) -> bytes:
    """The reportlab PDF `content` as a tagged PDF/A-3b file carrying `attachments`."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        _structure_tree(pdf, marked)
        pdf.Root.MarkInfo = Dictionary(Marked=True)
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        for attachment in attachments:
            _attach(pdf, attachment, now=now)
        _pdfa().prepare(pdf, FLAVOUR)
        out = io.BytesIO()
        pdf.save(out, **save_kwargs())
        return out.getvalue()


def _element(pdf: pikepdf.Pdf, tag: str, parent, **entries) -> pikepdf.Object:
    return pdf.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name("/" + tag), P=parent, **entries)
    )


def _structure_tree(pdf: pikepdf.Pdf, marked: list[MarkedContent]) -> None:
    """Document → H1/H2/P/Figure/L elements in reading order (the order they were drawn), each
    pointing at its marked content by page and MCID; list items as L → LI → LBody. The parent
    tree maps each page's MCIDs back to their elements, as assistive technology looks them up."""
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = _element(pdf, "Document", root)
    children = Array()
    by_page: dict[int, dict[int, pikepdf.Object]] = {}
    current_list = None
    for item in marked:
        page = pdf.pages[item.page].obj
        if item.tag == "LI":
            if current_list is None:
                current_list = _element(pdf, "L", document, K=Array())
                children.append(current_list)
            list_item = _element(pdf, "LI", current_list, K=Array())
            current_list.K.append(list_item)
            element = _element(pdf, "LBody", list_item, Pg=page, K=item.mcid)
            list_item.K.append(element)
        else:
            current_list = None
            entries = {"Pg": page, "K": item.mcid}
            if item.alt:
                entries["Alt"] = String(item.alt)
            element = _element(pdf, item.tag, document, **entries)
            children.append(element)
        by_page.setdefault(item.page, {})[item.mcid] = element
    document.K = children
    numbers = Array()
    for index, page in enumerate(pdf.pages):
        # reportlab writes an empty page transition, a key the PDF/A check does not know.
        if Name.Trans in page.obj:
            del page.obj[Name.Trans]
        page.obj.StructParents = index
        page.obj.Tabs = Name.S
        elements = by_page.get(index, {})
        numbers.append(index)
        numbers.append(Array([elements[m] for m in sorted(elements)]))
    root.K = document
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=numbers))
    root.ParentTreeNextKey = len(pdf.pages)
    pdf.Root.StructTreeRoot = root


def _attach(pdf: pikepdf.Pdf, attachment: Attachment, *, now: dt.datetime | None) -> None:
    stamp = encode_pdf_date(now or dt.datetime.now(dt.UTC))
    spec = pikepdf.AttachedFileSpec(
        pdf,
        attachment.content,
        description=attachment.description,
        filename=attachment.filename,
        mime_type=attachment.mime_type,
        creation_date=stamp,
        mod_date=stamp,
        relationship=Name("/" + attachment.relationship),
    )
    pdf.attachments[attachment.filename] = spec
    # The catalogue's /AF names it once (pikepdf may have listed it already).
    stored = pdf.attachments[attachment.filename].obj
    files = pdf.Root.get(Name.AF, Array())
    if all(entry.objgen != stored.objgen for entry in files):
        files.append(stored)
    pdf.Root.AF = files
