"""The DejaVu fonts every PDF uses (certificates, signature lists, labels). They cover names such
as "Yılmaz" or "Łukasz" that the PDF base font Helvetica (Latin-1 only) prints as black boxes, and
they are embedded, so a PDF reads the same on every machine."""

from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

_registered = False

# reportlab wraps every compressed stream in ASCII85 by default (for 7-bit mail of the 1990s): a
# quarter larger, encoded in pure Python, and decoded again by every later pass over the file
# (pikepdf re-compresses such streams when it saves the certificate as PDF/A). Plain Flate is
# what every PDF reader and PDF/A expects.
rl_config.useA85 = 0


def register_fonts() -> tuple[str, str]:
    """Register the fonts with reportlab once per process; returns (regular, bold) names."""
    global _registered
    if not _registered:
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
        )
        _registered = True
    return FONT, FONT_BOLD
