"""The PDF itself: real files read back with PDFium (text, rendering), pypdf and a real QR decoder
(zxing-cpp) on the rendered page: Python wheels, nothing to install on the machine."""

import io
from urllib.parse import urlsplit

import pytest
from PIL import Image
from pypdf import PdfReader

from certificates.pdf import render_certificate_pdf
from certificates.services import issue_certificate
from people.models import School
from tests.pdftools import fonts, pdf_text, qr_codes

pytestmark = pytest.mark.django_db


def _png(color="navy", size=(300, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def test_pdf_text_has_name_with_umlauts_course_number_and_facts(enrolment):
    certificate = issue_certificate(enrolment=enrolment, actor=None)
    text = pdf_text(certificate.pdf.path)
    assert "Teilnahmebescheinigung" in text
    assert "Jürgen Weiß-Großmann" in text
    assert "geboren am 14.03.2005" in text
    assert "SPS-Programmierung für Einsteiger" in text
    assert certificate.number in text
    assert certificate.number.startswith("BBSI-")
    assert "16 Unterrichtsstunden" in text
    assert "02.03.2026, 09.03.2026" in text  # the session dates
    assert "Özlem Yılmaz" in text  # the instructor, Turkish letters included
    assert "Aufbau einer SPS erklären" in text and "Ablaufsteuerungen in FUP programmieren" in text
    assert "Berufsbildende Schulen I Lüneburg" in text and "Landkreis Lüneburg" in text
    assert "Lüneburg, " in text  # place of issue
    # The short form of the verification URL is printed beside the QR code.
    assert urlsplit(certificate.data["verification_url"]).path in text


def test_pdf_metadata_language_and_embedded_fonts(enrolment):
    certificate = issue_certificate(enrolment=enrolment, actor=None)
    reader = PdfReader(certificate.pdf.path)
    meta = reader.metadata
    assert meta.title == f"Teilnahmebescheinigung {certificate.number}"
    assert meta.author == "Berufsbildende Schulen I Lüneburg"
    assert "Jürgen Weiß-Großmann" in meta.subject
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert reader.pages[0].mediabox.width == pytest.approx(595.27, abs=0.1)  # A4
    used = fonts(certificate.pdf.path)
    assert used, "no fonts found"
    for name, embedded in used:  # every font is embedded
        assert "DejaVuSans" in name and embedded, used


def test_qr_code_decodes_to_the_verification_page(enrolment, client, tmp_path):
    certificate = issue_certificate(enrolment=enrolment, actor=None)
    (decoded,) = qr_codes(certificate.pdf.path, dpi=150)
    assert decoded == certificate.data["verification_url"]
    assert decoded.endswith(f"/verify/{certificate.verification_code}/")
    response = client.get(urlsplit(decoded).path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Jürgen Weiß-Großmann" in body and certificate.number in body
    assert "gültig" in body


def test_english_certificate_for_an_english_speaking_participant(make_enrolment):
    enrolment = make_enrolment(first_name="Anna", last_name="Strauß", language="en")
    certificate = issue_certificate(enrolment=enrolment, actor=None)
    text = pdf_text(certificate.pdf.path)
    assert "certificate of attendance" in text.lower()
    assert "Anna Strauß" in text
    assert "16 teaching hours" in text
    assert PdfReader(certificate.pdf.path).trailer["/Root"]["/Lang"] == "en"


def test_school_wording_logo_and_signature_appear(enrolment, school):
    school.certificate_wording = "hat mit großem Erfolg an unserer Fortbildung teilgenommen."
    school.certificate_signatory = "Dr. Jana Kühn, Schulleiterin"
    school.certificate_logo.save("logo.png", io.BytesIO(_png()), save=False)
    school.certificate_signature.save("sig.png", io.BytesIO(_png("black", (400, 100))), save=False)
    school.save()
    certificate = issue_certificate(enrolment=enrolment, actor=None)
    text = pdf_text(certificate.pdf.path)
    assert "hat mit großem Erfolg an unserer Fortbildung teilgenommen." in text
    assert "Dr. Jana Kühn, Schulleiterin" in text
    images = [img for page in PdfReader(certificate.pdf.path).pages for img in page.images]
    assert len(images) == 2  # logo and signature


def test_rendering_uses_only_the_frozen_data(enrolment):
    certificate = issue_certificate(enrolment=enrolment, actor=None)
    course = enrolment.run.course
    course.title = "Ein ganz anderer Titel"
    course.save()
    School.objects.filter(pk=enrolment.run.school_id).update(name="Umbenannte Schule")
    again = render_certificate_pdf(certificate.data)
    path = certificate.pdf.path + ".again.pdf"
    with open(path, "wb") as handle:
        handle.write(again)
    text = pdf_text(path)
    assert "SPS-Programmierung für Einsteiger" in text and "Ein ganz anderer Titel" not in text
    assert "Berufsbildende Schulen I Lüneburg" in text and "Umbenannte Schule" not in text


MACHINE_MADE = "Dieses Dokument wurde maschinell erstellt und ist ohne Unterschrift"


def test_without_signature_and_signatory_the_certificate_says_it_is_machine_made(enrolment):
    certificate = issue_certificate(enrolment=enrolment, actor=None)
    text = " ".join(pdf_text(certificate.pdf.path).split())
    assert MACHINE_MADE in text
    assert "Unterschrift\n" not in pdf_text(certificate.pdf.path)


def test_a_signatory_replaces_the_machine_made_note(enrolment, school):
    school.certificate_signatory = "Dr. Jana Kühn, Schulleiterin"
    school.save()
    certificate = issue_certificate(enrolment=enrolment, actor=None)
    text = " ".join(pdf_text(certificate.pdf.path).split())
    assert "Dr. Jana Kühn, Schulleiterin" in text
    assert MACHINE_MADE not in text
