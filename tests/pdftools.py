"""Reading PDFs back in tests with Python wheels only (no poppler, no zbar on the machine):
pypdfium2 (PDFium, Chrome's PDF engine) extracts text and renders pages, zxing-cpp decodes QR
codes from the rendered page, pypdf lists the fonts."""

from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from pypdf import PdfReader


def pdf_text(path) -> str:
    """The text of every page, in PDFium's reading order, pages separated by a form feed."""
    document = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return "\f".join(pages).replace("\r\n", "\n")
    finally:
        document.close()


def render_page(path, *, page: int = 0, dpi: int = 150):
    """The page as a PIL image, as a printer or a phone camera would see it."""
    document = pdfium.PdfDocument(str(path))
    try:
        return document[page].render(scale=dpi / 72).to_pil()
    finally:
        document.close()


def qr_codes(path, *, page: int = 0, dpi: int = 150) -> list[str]:
    """The texts of the QR codes found on the rendered page."""
    image = render_page(path, page=page, dpi=dpi)
    return [code.text for code in zxingcpp.read_barcodes(image) if "QR" in str(code.format)]


def fonts(path) -> list[tuple[str, bool]]:
    """(base font name, embedded?) of every font the pages use, descendants of Type0 included."""
    found = {}
    for page in PdfReader(Path(path)).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            for item in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
                descriptor = item.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found[str(item["/BaseFont"])] = embedded
    return sorted(found.items())
