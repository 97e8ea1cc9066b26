"""QR labels as a PDF that reads back."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from tests.courses.planning_fixtures import make_plan
from tests.factories import EquipmentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) missing")
def test_label_pdf_reads_back_with_pdftotext(client, tmp_path):
    plan = make_plan(units=0)
    items = [
        EquipmentFactory(
            workshop=plan.workshop,
            type=plan.printer,
            inventory_number=f"LW-3D-{i:03d}",
            name=f"Prusa Nr. {i}",
        )
        for i in range(26)  # more than one page of 24
    ]
    client.force_login(plan.coordinator)
    query = "&".join(f"ids={i.pk}" for i in items)
    response = client.get(reverse("workshops:labels_pdf") + "?" + query)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "labels.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603 - fixed poppler tool on our own temp file
        ["pdftotext", "-layout", str(pdf), "-"],  # noqa: S607 - poppler on PATH, as in .ci/run
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for item in items:
        assert item.inventory_number in text
    assert "Prusa Nr. 25" in text
    info = subprocess.run(  # noqa: S603 - fixed poppler tool on our own temp file
        ["pdfinfo", str(pdf)],  # noqa: S607 - poppler on PATH, as in .ci/run
        capture_output=True,
        text=True,
        check=True,  # noqa: S607
    ).stdout
    assert re.search(r"^Pages:\s+2$", info, re.MULTILINE), info
