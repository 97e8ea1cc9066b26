# ruff: noqa: S603 - runs poppler tools found by shutil.which on files the test wrote
"""The issued file is PDF/A-3b and tagged: checked by pikepdf's PDF/A validator (built on the
veraPDF rule set), by reading the objects with pikepdf, and by poppler's reader of the structure
tree (what a screen reader gets)."""

import io
import subprocess

import pikepdf
import pikepdf.pdfa
import pytest
from PIL import Image

from certificates.services import issue_certificate

from .conftest import require_tool

pytestmark = pytest.mark.django_db


def _png(color="navy", size=(300, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", size, color).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def certificate(enrolment, school):
    school.certificate_signatory = "Dr. Jana Kühn, Schulleiterin"
    school.certificate_logo.save("logo.png", io.BytesIO(_png()), save=False)
    school.certificate_signature.save("sig.png", io.BytesIO(_png("black", (400, 100))), save=False)
    school.save()
    return issue_certificate(enrolment=enrolment, actor=None)


def test_the_file_as_signed_passes_the_pdfa_3b_validator(certificate):
    """The revision the PAdES signature signs (test_pades checks what the signature adds)."""
    with certificate.pdf.open("rb") as handle:
        content = handle.read()
    signed_revision = content[: content.index(b"%%EOF") + len(b"%%EOF")] + b"\n"
    report = pikepdf.pdfa.validate_written(io.BytesIO(signed_revision), "3b")
    assert report.verdict == "pass", [str(finding) for finding in report.findings]


def test_xmp_declares_pdfa_3b_with_title_and_creator(certificate):
    with pikepdf.open(certificate.pdf.path) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3"
        assert meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == f"Teilnahmebescheinigung {certificate.number}"
        assert meta["dc:creator"] == ["Berufsbildende Schulen I Lüneburg"]
        assert not pdf.is_encrypted


def test_srgb_output_intent_with_an_icc_profile(certificate):
    with pikepdf.open(certificate.pdf.path) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == pikepdf.Name.GTS_PDFA1
        profile = intent.DestOutputProfile
        assert profile.N == 3  # RGB
        icc = profile.read_bytes()
        assert icc[36:40] == b"acsp" and icc[16:20] == b"RGB "


def test_language_title_shown_and_marked(certificate):
    with pikepdf.open(certificate.pdf.path) as pdf:
        assert pdf.Root.Lang == "de"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert pdf.Root.MarkInfo.Marked is True


def _walk(element, found):
    found.append(element)
    kids = element.get("/K")
    if isinstance(kids, pikepdf.Array):
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary):
                _walk(kid, found)
    elif isinstance(kids, pikepdf.Dictionary):
        _walk(kids, found)
    return found


def test_structure_tree_has_heading_paragraphs_list_and_figures_with_alt_text(certificate):
    with pikepdf.open(certificate.pdf.path) as pdf:
        root = pdf.Root.StructTreeRoot
        (document,) = [root.K]
        assert document.S == "/Document"
        elements = _walk(document, [])
        tags = [str(e.S) for e in elements]
        assert tags.count("/H1") == 1
        assert tags.count("/P") > 10
        assert tags.count("/LI") == 2  # the two learning outcomes
        figures = {str(e.Alt) for e in elements if e.S == "/Figure"}
        url = certificate.data["verification_url"]
        assert figures == {
            "Logo: Berufsbildende Schulen I Lüneburg",
            "Unterschrift: Dr. Jana Kühn, Schulleiterin",
            f"QR-Code mit dem Link zur Echtheitsprüfung: {url}",
        }
        page = pdf.pages[0].obj
        assert page.Tabs == "/S"
        # The parent tree leads from each marked-content id on the page back to its element.
        nums = root.ParentTree.Nums
        assert int(nums[0]) == int(page.StructParents)
        assert all(element.Pg.objgen == page.objgen for element in nums[1])


def test_all_page_content_is_tagged_or_an_artifact(certificate):
    """Every text and image drawn sits inside marked content, so nothing is left that a screen
    reader can neither read nor skip."""
    with pikepdf.open(certificate.pdf.path) as pdf:
        depth = 0
        drawn_outside = []
        shown = 0
        for _operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
            op = str(operator)
            if op in ("BDC", "BMC"):
                depth += 1
            elif op == "EMC":
                depth -= 1
            elif op in ("Tj", "TJ", "'", '"', "Do", "re", "l"):
                shown += 1
                if depth == 0:
                    drawn_outside.append(op)
        assert shown > 20 and depth == 0
        assert drawn_outside == []


def test_poppler_reads_the_structure_in_reading_order(certificate):
    text = subprocess.run(
        [require_tool("pdfinfo"), "-struct-text", certificate.pdf.path],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = [line.strip() for line in text.splitlines()]
    assert lines[0] == "Document"
    order = [
        '"Teilnahmebescheinigung"',
        '"Jürgen Weiß-Großmann"',
        '"SPS-Programmierung für Einsteiger"',
        "Aufbau einer SPS erklären",
        f'"{certificate.number}"',
    ]
    positions = [next(i for i, line in enumerate(lines) if item in line) for item in order]
    assert positions == sorted(positions)
    info = subprocess.run(
        [require_tool("pdfinfo"), certificate.pdf.path], check=True, capture_output=True, text=True
    ).stdout
    assert "Tagged:          yes" in info
    assert "Encrypted:       no" in info
