"""The QR code on the certificate, drawn as vector paths."""

from __future__ import annotations

import qrcode
from reportlab.lib import colors
from reportlab.platypus import Flowable


class QrCode(Flowable):
    """The QR code as one filled path, a rectangle per run of dark modules in a row. reportlab's
    QrCodeWidget encoded twice and drew each module as a graphics node: 60 % of the rendering
    time. The `qrcode` package (a dependency already) encodes faster than reportlab's encoder."""

    QUIET_ZONE = 4  # modules of white around the code, as the standard asks for

    def __init__(self, data: str, size: float):
        super().__init__()
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        code.add_data(data)
        code.make(fit=True)
        self.rows = code.get_matrix()
        self.width = self.height = size

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        count = len(self.rows)
        module = self.width / (count + 2 * self.QUIET_ZONE)
        offset = self.QUIET_ZONE * module
        path = self.canv.beginPath()
        for r, row in enumerate(self.rows):
            y = self.height - offset - (r + 1) * module
            c = 0
            while c < count:
                if row[c]:
                    start = c
                    while c < count and row[c]:
                        c += 1
                    path.rect(offset + start * module, y, (c - start) * module, module)
                else:
                    c += 1
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)
