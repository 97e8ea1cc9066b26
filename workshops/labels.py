"""QR labels for equipment as a printable A4 PDF (reportlab): 3 × 8 labels of 70 × 37 mm, each
with the inventory number, the name and a QR code linking to the item's page."""

import io

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from core.links import absolute_url

COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = 70 * mm, 37 * mm
QR_SIZE = 30 * mm


def item_url(item) -> str:
    return absolute_url(item)


def _qr(url: str) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(
        QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x2 - x1), 0, 0, QR_SIZE / (y2 - y1), 0, 0]
    )
    drawing.add(widget)
    return drawing


def _fit(text: str, font: str, size: float, width: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while text and stringWidth(text, font, size) > width:
        text = text[:-2] + "…" if len(text) > 1 else ""
    return text


def render_labels(items) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle("Gerätelabels")
    pdf.setAuthor("Lernwerkstatt 4.0")
    page_w, page_h = A4
    margin_x = (page_w - COLUMNS * LABEL_W) / 2
    margin_y = (page_h - ROWS * LABEL_H) / 2
    per_page = COLUMNS * ROWS
    for index, item in enumerate(items):
        if index and index % per_page == 0:
            pdf.showPage()
        slot = index % per_page
        col, row = slot % COLUMNS, slot // COLUMNS
        x = margin_x + col * LABEL_W
        y = page_h - margin_y - (row + 1) * LABEL_H
        renderPDF.draw(_qr(item_url(item)), pdf, x + 3 * mm, y + (LABEL_H - QR_SIZE) / 2)
        text_x = x + QR_SIZE + 6 * mm
        text_w = LABEL_W - QR_SIZE - 8 * mm
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(
            text_x, y + LABEL_H - 12 * mm, _fit(item.inventory_number, "Helvetica-Bold", 11, text_w)
        )
        pdf.setFont("Helvetica", 8)
        name = item.name or item.type.name
        pdf.drawString(text_x, y + LABEL_H - 17 * mm, _fit(name, "Helvetica", 8, text_w))
        pdf.drawString(text_x, y + LABEL_H - 21 * mm, _fit(item.type.name, "Helvetica", 8, text_w))
        pdf.drawString(
            text_x, y + LABEL_H - 25 * mm, _fit(item.school.name, "Helvetica", 7, text_w)
        )
    if not items:
        pdf.drawString(margin_x, page_h - margin_y, "Keine Geräte ausgewählt.")
    pdf.save()
    return buffer.getvalue()
