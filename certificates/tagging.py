"""Marked content for a tagged PDF, drawn by reportlab.

reportlab writes no structure tree, so the canvas here wraps each paragraph and figure in a
marked-content sequence (`/P <</MCID n>> BDC … EMC`) and records what it wrapped;
`certificates.pdfa` then builds the structure tree from those records with pikepdf. Page furniture
(footer, table rules) is marked as an artifact, which screen readers skip.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image, Paragraph

# Paragraph styles whose text is a heading or a list item rather than a plain paragraph.
TAG_BY_STYLE = {"title": "H1", "heading": "H2", "bullet": "LI"}


@dataclass(frozen=True)
class MarkedContent:
    """One marked-content sequence: its structure type, where it is, and its alternate text."""

    tag: str
    page: int  # 0-based
    mcid: int
    alt: str = ""


class TaggingCanvas(Canvas):
    """A canvas that numbers marked content per page and keeps a record of it in `marked`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.marked: list[MarkedContent] = []
        self._next_mcid = 0
        self._open = False

    def showPage(self):
        super().showPage()
        self._next_mcid = 0

    def begin_tag(self, tag: str, alt: str = "") -> None:
        if self._open:  # nested content belongs to the outer element
            return
        mcid = self._next_mcid
        self._next_mcid += 1
        self.marked.append(MarkedContent(tag, self.getPageNumber() - 1, mcid, alt))
        self._code.append(f"/{tag} <</MCID {mcid}>> BDC")
        self._open = True

    def end_tag(self) -> None:
        if self._open:
            self._code.append("EMC")
            self._open = False

    def begin_artifact(self, kind: str = "Layout") -> None:
        if not self._open:
            self._code.append(f"/Artifact <</Type /{kind}>> BDC")

    def end_artifact(self) -> None:
        if not self._open:
            self._code.append("EMC")


def _begin(canv, tag: str, alt: str = "") -> None:
    if isinstance(canv, TaggingCanvas):
        canv.begin_tag(tag, alt)


def _end(canv) -> None:
    if isinstance(canv, TaggingCanvas):
        canv.end_tag()


class TaggedParagraph(Paragraph):
    """A paragraph drawn as one marked-content sequence. The structure type follows the style
    name, so the halves of a paragraph split across pages keep it (split() copies the style)."""

    def _drawOn(self, canv):
        _begin(canv, TAG_BY_STYLE.get(self.style.name, "P"))
        try:
            super()._drawOn(canv)
        finally:
            _end(canv)


class TaggedImage(Image):
    """An image drawn as a Figure with alternate text."""

    def __init__(self, *args, alt: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.alt = alt

    def _drawOn(self, canv):
        _begin(canv, "Figure", self.alt)
        try:
            super()._drawOn(canv)
        finally:
            _end(canv)


def tag_figure(flowable, alt: str):
    """Wrap the drawing of any flowable (the QR code) as a Figure with alternate text."""
    draw = flowable._drawOn

    def _drawOn(canv):
        _begin(canv, "Figure", alt)
        try:
            draw(canv)
        finally:
            _end(canv)

    flowable._drawOn = _drawOn
    return flowable


def artifact_rules(table, event, *args):
    """Table renderCB: backgrounds and rules are layout, not content."""
    canv = table.canv
    if not isinstance(canv, TaggingCanvas):
        return
    if event in ("startBG", "startLines"):
        canv.begin_artifact()
    elif event in ("endBG", "endLines"):
        canv.end_artifact()
