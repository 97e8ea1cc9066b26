"""PDF/A-3b with a structure tree, from the PDF reportlab drew (pikepdf).

reportlab writes the page content with marked-content sequences (see `certificates.tagging`);
this module adds what reportlab cannot: the structure tree that points at them (headings,
paragraphs, list items, figures with alternate text), MarkInfo, the document title shown in the
window title, associated files (the signed Open Badge), and the PDF/A-3b declaration: the XMP
metadata (pdfaid part 3, conformance B, the document information repeated as PDF/A requires) and
the sRGB output intent with the ICC profile pikepdf ships.

The declaration is written here rather than by `pikepdf.pdfa.prepare`: importing that module costs
about two CPU seconds per worker process (it compiles JSON-schema format grammars), and its
repairs (annotations, JavaScript, image interpolation, font encodings) have nothing to repair in a
page reportlab drew from our own layout. pikepdf's PDF/A validator checks the result in the tests.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import io
import zlib
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String
from pikepdf.models.metadata import encode_pdf_date

from .tagging import MarkedContent

PART, CONFORMANCE = 3, "B"
PRODUCER = f"pikepdf {pikepdf.__version__}"
# What `pikepdf.pdfa.resolve_save_kwargs("3b")` pins, with choices of ours: the streams reportlab
# compressed are copied as they are (compress_streams=True made qpdf spend more time on them than
# the rest of the pass), the few streams added here are compressed by us (the ICC profile) or left
# as PDF/A prefers (the XMP packet), and no object streams: the signature's incremental update
# (certificates.pades) has a classic cross-reference table, as the revision before it then has.
SAVE_KWARGS = {
    "preserve_pdfa": True,
    "encryption": None,
    "qdf": False,
    "normalize_content": False,
    "fix_metadata_version": False,
    "compress_streams": False,
    "stream_decode_level": pikepdf.StreamDecodeLevel.none,
    "object_stream_mode": pikepdf.ObjectStreamMode.disable,
}


@dataclass(frozen=True)
class Attachment:
    """A file carried inside the PDF as a PDF/A-3 associated file."""

    filename: str
    content: bytes
    mime_type: str
    description: str
    relationship: str = "Alternative"  # Source, Data, Alternative, Supplement or Unspecified


@cache
def _srgb_profile() -> bytes:
    """The sRGB ICC profile pikepdf ships, deflated once per process."""
    icc = (importlib.resources.files("pikepdf") / "pdfa" / "data" / "sRGB.icc").read_bytes()
    if icc[36:40] != b"acsp" or icc[16:20] != b"RGB ":
        raise RuntimeError("pikepdf's sRGB.icc is not an RGB ICC profile")
    return zlib.compress(icc, 9)


def make_pdfa(
    content: bytes,
    *,
    marked: list[MarkedContent],
    attachments: tuple[Attachment, ...] = (),
    now: dt.datetime | None = None,
) -> bytes:
    """The reportlab PDF `content` as a tagged PDF/A-3b file carrying `attachments`."""
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    with pikepdf.open(io.BytesIO(content)) as pdf:
        _structure_tree(pdf, marked)
        pdf.Root.MarkInfo = Dictionary(Marked=True)
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        for attachment in attachments:
            _attach(pdf, attachment, now=now)
        _output_intent(pdf)
        _declare(pdf, now)
        out = io.BytesIO()
        pdf.save(out, **SAVE_KWARGS)
        return out.getvalue()


def _output_intent(pdf: pikepdf.Pdf) -> None:
    profile = pikepdf.Stream(pdf, b"")
    profile.write(_srgb_profile(), filter=Name.FlateDecode)
    profile.N = 3
    intent = Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFA1,
        OutputConditionIdentifier=String("sRGB"),
        Info=String("sRGB"),
        DestOutputProfile=profile,
    )
    pdf.Root.OutputIntents = Array([pdf.make_indirect(intent)])


def _xml_text(value) -> str:
    # XML 1.0 admits no control characters but tab and line breaks.
    text = str(value)
    return "".join(c for c in text if c >= " " or c in "\t\n\r")


def _declare(pdf: pikepdf.Pdf, now: dt.datetime) -> None:
    """The XMP packet declaring PDF/A-3b, and the document information agreeing with it: PDF/A
    wants every Info entry repeated in XMP with the same value."""
    info = pdf.docinfo
    fields = {key: _xml_text(info.get(f"/{key}", "")) for key in ("Title", "Author", "Subject")}
    fields.update(
        Keywords=_xml_text(info.get("/Keywords", "")), Creator=_xml_text(info.get("/Creator", ""))
    )
    for key, value in fields.items():
        if value:
            info[Name("/" + key)] = String(value)
    stamp = encode_pdf_date(now)
    info.Producer = String(PRODUCER)
    info.CreationDate = String(stamp)
    info.ModDate = String(stamp)
    when = now.isoformat()
    properties = []
    if fields["Title"]:
        properties.append(_alt("dc:title", fields["Title"]))
    if fields["Author"]:
        properties.append(
            f"<dc:creator><rdf:Seq><rdf:li>{escape(fields['Author'])}</rdf:li></rdf:Seq>"
            "</dc:creator>"
        )
    if fields["Subject"]:
        properties.append(_alt("dc:description", fields["Subject"]))
    if fields["Keywords"]:
        properties.append(f"<pdf:Keywords>{escape(fields['Keywords'])}</pdf:Keywords>")
    if fields["Creator"]:
        properties.append(f"<xmp:CreatorTool>{escape(fields['Creator'])}</xmp:CreatorTool>")
    properties += [
        f"<pdf:Producer>{escape(PRODUCER)}</pdf:Producer>",
        f"<xmp:CreateDate>{when}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{when}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{when}</xmp:MetadataDate>",
        f"<pdfaid:part>{PART}</pdfaid:part>",
        f"<pdfaid:conformance>{CONFORMANCE}</pdfaid:conformance>",
    ]
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">\n'
        + "\n".join(properties)
        + "\n</rdf:Description></rdf:RDF></x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    metadata = pikepdf.Stream(pdf, packet.encode("utf-8"))
    metadata.Type = Name.Metadata
    metadata.Subtype = Name.XML
    pdf.Root.Metadata = pdf.make_indirect(metadata)


def _alt(name: str, value: str) -> str:
    return (
        f'<{name}><rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt></{name}>'
    )


def _structure_tree(pdf: pikepdf.Pdf, marked: list[MarkedContent]) -> None:
    """Document → H1/H2/P/Figure/L elements in reading order (the order they were drawn), each
    pointing at its marked content by page and MCID; list items as L → LI → LBody. The parent
    tree maps each page's MCIDs back to their elements, as assistive technology looks them up.
    Each element is made complete and then indirect, and each array is made once from a Python
    list: every call into pikepdf costs a few microseconds, and a certificate has 30 elements."""
    make = pdf.make_indirect
    struct_elem = Name.StructElem
    pages = [page.obj for page in pdf.pages]
    root = make(Dictionary(Type=Name.StructTreeRoot))
    document = make(Dictionary(Type=struct_elem, S=Name.Document, P=root))
    children: list[pikepdf.Object] = []
    by_page: dict[int, dict[int, pikepdf.Object]] = {}
    tags: dict[str, pikepdf.Name] = {}
    current_list, list_items = None, []
    for item in marked:
        page = pages[item.page]
        if item.tag == "LI":
            if current_list is None:
                current_list = make(Dictionary(Type=struct_elem, S=Name.L, P=document))
                list_items = []
                children.append(current_list)
            list_item = make(Dictionary(Type=struct_elem, S=Name.LI, P=current_list))
            list_items.append(list_item)
            current_list.K = Array(list_items)
            element = make(
                Dictionary(Type=struct_elem, S=Name.LBody, P=list_item, Pg=page, K=item.mcid)
            )
            list_item.K = Array([element])
        else:
            current_list = None
            tag = tags.get(item.tag) or tags.setdefault(item.tag, Name("/" + item.tag))
            element = Dictionary(Type=struct_elem, S=tag, P=document, Pg=page, K=item.mcid)
            if item.alt:
                element.Alt = String(item.alt)
            element = make(element)
            children.append(element)
        by_page.setdefault(item.page, {})[item.mcid] = element
    document.K = Array(children)
    numbers: list = []
    for index, page in enumerate(pages):
        # reportlab writes an empty page transition, a key the PDF/A check does not know.
        if Name.Trans in page:
            del page[Name.Trans]
        page.StructParents = index
        page.Tabs = Name.S
        elements = by_page.get(index, {})
        numbers.append(index)
        numbers.append(Array([elements[m] for m in sorted(elements)]))
    root.K = document
    root.ParentTree = make(Dictionary(Nums=Array(numbers)))
    root.ParentTreeNextKey = len(pages)
    pdf.Root.StructTreeRoot = root


def _attach(pdf: pikepdf.Pdf, attachment: Attachment, *, now: dt.datetime) -> None:
    stamp = encode_pdf_date(now)
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
