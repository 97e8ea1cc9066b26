"""The Teilnahmebescheinigung as a PDF (reportlab platypus, A4).

`render_certificate_pdf` draws only from the frozen `Certificate.data` dict (see
`certificates.snapshot`), never from live models, so an issued certificate renders the same after
the course changes. Fonts are the DejaVu TTFs shipped in core/fonts/ and are embedded, so
the PDF looks the same on every machine and its text (umlauts, ß, Turkish letters) can be
extracted.
"""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from core.fonts import FONT, FONT_BOLD, register_fonts

from .qr import QrCode
from .snapshot import hours_text
from .tagging import (
    MarkedContent,
    TaggedImage,
    TaggedParagraph,
    TaggingCanvas,
    artifact_rules,
    tag_figure,
)

# Every table names its font: reportlab's tables set a font per cell (Helvetica unless told), and
# Helvetica would be the one font not embedded.
LANGUAGES = ("de", "en")
ACCENT = colors.HexColor("#1f4e79")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=10.5, leading=14)
    return {
        "base": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8.5, leading=11, textColor=colors.grey
        ),
        "school": ParagraphStyle(
            "school", parent=base, fontName=FONT_BOLD, fontSize=13, leading=16
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=24,
            leading=30,
            alignment=TA_CENTER,
            textColor=ACCENT,
            spaceAfter=6 * mm,
        ),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "name": ParagraphStyle(
            "name", parent=base, fontName=FONT_BOLD, fontSize=20, leading=26, alignment=TA_CENTER
        ),
        "course": ParagraphStyle(
            "course", parent=base, fontName=FONT_BOLD, fontSize=15, leading=20, alignment=TA_CENTER
        ),
        "label": ParagraphStyle("label", parent=base, fontName=FONT_BOLD),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName=FONT_BOLD, spaceBefore=4 * mm, spaceAfter=2 * mm
        ),
        "bullet": ParagraphStyle(
            "bullet", parent=base, leftIndent=12, bulletIndent=0, bulletFontName=FONT
        ),
    }


def _date(value: str | None, language: str) -> str:
    if not value:
        return ""
    day = dt.date.fromisoformat(value[:10])
    return day.strftime("%d.%m.%Y") if language == "de" else day.strftime("%d %B %Y").lstrip("0")


def short_url(url: str) -> str:
    """What is printed beside the QR code: the URL without its scheme, short enough to type."""
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}"


def _p(text: str, style: ParagraphStyle, **kwargs) -> TaggedParagraph:
    return TaggedParagraph(escape(text), style, **kwargs)


def _image(
    content: bytes | None, *, max_width: float, max_height: float, alt: str
) -> TaggedImage | None:
    if not content:
        return None
    reader = ImageReader(io.BytesIO(content))
    width, height = reader.getSize()
    scale = min(max_width / width, max_height / height)
    return TaggedImage(io.BytesIO(content), width=width * scale, height=height * scale, alt=alt)


def load_images(data: dict) -> dict[str, bytes | None]:
    """Logo and signature bytes from storage, by the names frozen into the data at issue time.
    A school uploading a new logo gets a new file name, so old certificates keep their old logo."""
    images: dict[str, bytes | None] = {}
    school = data.get("school", {})
    for key in ("logo", "signature"):
        name = school.get(key) or ""
        content = None
        if name and default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                content = handle.read()
        images[key] = content
    return images


def render_certificate_pdf(data: dict, *, images: dict[str, bytes | None] | None = None) -> bytes:
    """The certificate described by `data` as PDF bytes. `images` (logo, signature) defaults to the
    files named in the data; the settings preview passes uploaded bytes that are not saved yet."""
    return render_tagged(data, images=images)[0]


def render_tagged(
    data: dict, *, images: dict[str, bytes | None] | None = None
) -> tuple[bytes, list[MarkedContent]]:
    """The PDF as reportlab draws it, and the marked content it drew (for the structure tree)."""
    register_fonts()
    language = data.get("language") if data.get("language") in LANGUAGES else "de"
    if images is None:
        images = load_images(data)
    with translation.override(language):
        return _render(data, images, language)


def _render(
    data: dict, images: dict[str, bytes | None], language: str
) -> tuple[bytes, list[MarkedContent]]:
    styles = _styles()
    school = data["school"]
    participant = data["participant"]
    course = data["course"]
    number = data["number"]
    url = data["verification_url"]
    title = _("Teilnahmebescheinigung")

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
        title=f"{title} {number}",
        author=school["name"],
        subject=f"{participant['name']} – {course['title']}",
        creator="Lernwerkstatt 4.0",
        keywords=[number],
        lang=language,
        # Without this the canvas names Helvetica (not embedded) as its starting font.
        initialFontName=FONT,
    )
    width = doc.width
    story: list = []

    # Header: logo left, school and district right.
    school_lines = [_p(school["name"], styles["school"])]
    address = ", ".join(
        part
        for part in (
            school.get("street"),
            f"{school.get('postal_code', '')} {school.get('city', '')}".strip(),
        )
        if part
    )
    if address:
        school_lines.append(_p(address, styles["base"]))
    if data.get("district", {}).get("name"):
        school_lines.append(_p(data["district"]["name"], styles["base"]))
    logo = _image(
        images.get("logo"),
        max_width=45 * mm,
        max_height=25 * mm,
        alt=_("Logo: %(school)s") % {"school": school["name"]},
    )
    header = Table(
        [[logo or "", school_lines]],
        colWidths=[50 * mm, width - 50 * mm],
        renderCB=artifact_rules,
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm),
            ]
        ),
    )
    story += [header, Spacer(1, 12 * mm), _p(title, styles["title"])]

    # Who, and what.
    story.append(_p(_("Hiermit wird bescheinigt, dass"), styles["center"]))
    story.append(Spacer(1, 3 * mm))
    story.append(_p(participant["name"], styles["name"]))
    if participant.get("date_of_birth"):
        born = _("geboren am %(date)s") % {"date": _date(participant["date_of_birth"], language)}
        story.append(_p(born, styles["center"]))
    story.append(Spacer(1, 3 * mm))
    story.append(_p(_("an der Fortbildung"), styles["center"]))
    story.append(Spacer(1, 2 * mm))
    story.append(_p(course["title"], styles["course"]))
    story.append(Spacer(1, 3 * mm))
    wording = school.get("wording") or _(
        "in der Lernwerkstatt 4.0 erfolgreich teilgenommen hat. Unten stehen die besuchten "
        "Termine, die Anwesenheit und die Lernziele."
    )
    for paragraph in [line for line in wording.splitlines() if line.strip()]:
        story.append(_p(paragraph.strip(), styles["center"]))
    story.append(Spacer(1, 8 * mm))

    # Facts: hours, dates, instructor.
    session_dates = []
    for session in data.get("sessions", []):
        day = _date(session["start"], language)
        if day not in session_dates:
            session_dates.append(day)
    facts = [
        [
            _p(_("Umfang"), styles["label"]),
            _p(
                _("%(hours)s Unterrichtsstunden")
                % {"hours": hours_text(course["hours"], language)},
                styles["base"],
            ),
        ],
        [
            _p(_("Besuchte Termine"), styles["label"]),
            _p(", ".join(session_dates) or "–", styles["base"]),
        ],
    ]
    attendance = data.get("attendance")
    if attendance:  # certificates issued before version 3 listed the run's sessions instead
        facts.append(
            [
                _p(_("Anwesenheit"), styles["label"]),
                _p(
                    _("%(hours)s Stunden an %(count)s von %(total)s Terminen")
                    % {
                        "hours": hours_text(attendance["hours"], language),
                        "count": attendance["sessions"],
                        "total": attendance["sessions_total"],
                    },
                    styles["base"],
                ),
            ]
        )
    if data.get("instructor"):
        facts.append(
            [_p(_("Ausbilder:in"), styles["label"]), _p(data["instructor"], styles["base"])]
        )
    story.append(
        Table(
            facts,
            colWidths=[40 * mm, width - 40 * mm],
            renderCB=artifact_rules,
            style=TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
                ]
            ),
        )
    )

    outcomes = course.get("learning_outcomes") or []
    if outcomes:
        story.append(_p(_("Lernziele"), styles["heading"]))
        story += [_p(item, styles["bullet"], bulletText="•") for item in outcomes]
    story.append(Spacer(1, 10 * mm))

    # Place and date, signature, number and QR code stay together on one page.
    place_date = f"{school.get('city', '')}, {_date(data['issued_at'], language)}".strip(", ")
    signature = _image(
        images.get("signature"),
        max_width=60 * mm,
        max_height=20 * mm,
        alt=_("Unterschrift: %(name)s") % {"name": school.get("signatory") or school["name"]},
    )
    signed_by_hand = signature is not None or bool(school.get("signatory"))
    if signed_by_hand:
        signature_cell = [signature or Spacer(1, 14 * mm)]
        signature_label = _p(school.get("signatory") or _("Unterschrift"), styles["small"])
    else:
        # No signature image and no signatory: say how the document is authentic instead of
        # leaving an empty signature line.
        signature_cell = [
            _p(
                _(
                    "Dieses Dokument wurde maschinell erstellt und ist ohne Unterschrift "
                    "gültig. Seine Echtheit belegen die elektronische Signatur und die "
                    "Prüfung unter der unten genannten Adresse."
                ),
                styles["small"],
            )
        ]
        signature_label = ""
    rules = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("LINEABOVE", (0, 1), (0, 1), 0.6, colors.black),
    ]
    if signed_by_hand:
        rules.append(("LINEABOVE", (2, 1), (2, 1), 0.6, colors.black))
    signature_table = Table(
        [
            [_p(place_date, styles["base"]), "", signature_cell],
            [_p(_("Ort, Datum"), styles["small"]), "", signature_label],
        ],
        colWidths=[width * 0.45, width * 0.1, width * 0.45],
        renderCB=artifact_rules,
        style=TableStyle(rules),
    )
    qr_size = 28 * mm
    verify_text = [
        _p(_("Bescheinigungsnummer"), styles["label"]),
        _p(number, styles["base"]),
        Spacer(1, 2 * mm),
        _p(_("Echtheit prüfen"), styles["label"]),
        _p(short_url(url), styles["base"]),
    ]
    qr_alt = _("QR-Code mit dem Link zur Echtheitsprüfung: %(url)s") % {"url": url}
    verify_table = Table(
        [[tag_figure(QrCode(url, qr_size), qr_alt), verify_text]],
        colWidths=[qr_size + 4 * mm, width - qr_size - 4 * mm],
        renderCB=artifact_rules,
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEABOVE", (0, 0), (-1, 0), 0.4, colors.lightgrey),
                ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        ),
    )
    story.append(KeepTogether([signature_table, Spacer(1, 10 * mm), verify_table]))

    footer = f"{title} {number}"

    def on_page(canvas, document):
        canvas.begin_artifact("Pagination")
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.grey)
        page_label = _("Seite %(page)s") % {"page": document.page}
        canvas.drawString(doc.leftMargin, 10 * mm, footer)
        canvas.drawRightString(A4[0] - doc.rightMargin, 10 * mm, page_label)
        canvas.restoreState()
        canvas.end_artifact()

    canvases: list[TaggingCanvas] = []

    def make_canvas(*args, **kwargs):
        canvases.append(TaggingCanvas(*args, **kwargs))
        return canvases[-1]

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=make_canvas)
    return buffer.getvalue(), canvases[-1].marked
