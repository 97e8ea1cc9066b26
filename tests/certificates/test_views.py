"""Staff pages, downloads and school settings, through the web client, per role."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from certificates.models import Certificate, IssueJob
from certificates.services import issue_certificate
from core.models import AuditEntry
from people.models import School
from tests.factories import (
    SchoolFactory,
    business_contact,
    coordinator,
    district_admin,
    instructor,
    trainee,
)

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def _png(size=(200, 80), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, fmt)
    return buffer.getvalue()


def _upload(name: str, content: bytes, content_type="image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def certificate(enrolment):
    return issue_certificate(enrolment=enrolment, actor=None)


# Downloads ---------------------------------------------------------------------------------------


def _roles(certificate):
    enrolment = certificate.enrolment
    school = enrolment.run.school
    return {
        "participant": (enrolment.participant, 200),
        "business contact": (business_contact(enrolment.business), 200),
        "coordinator": (coordinator(school), 200),
        "district admin": (district_admin(school.district), 200),
        # A certificate is personal: a stranger does not learn that it exists (core/access.py).
        "other trainee": (trainee(), 404),
        "other business contact": (business_contact(), 404),
        "coordinator of another school": (coordinator(SchoolFactory()), 404),
        "instructor of the run": (instructor(school), 404),
    }


def test_download_per_role(certificate, client):
    url = reverse("certificates:download", args=[certificate.pk])
    for role, (user, expected) in _roles(certificate).items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected, role
        if expected == 200:
            assert response["Content-Type"] == "application/pdf"
            assert certificate.number in response["Content-Disposition"]
            assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_download_of_unknown_certificate_is_404(client, enrolment):
    client.force_login(enrolment.participant)
    assert client.get(reverse("certificates:download", args=[999999])).status_code == 404


def test_my_certificates_lists_only_what_the_user_may_see(certificate, make_enrolment, client):
    other = issue_certificate(
        enrolment=make_enrolment(first_name="Lena", last_name="Schäfer"), actor=None
    )
    client.force_login(certificate.enrolment.participant)
    body = client.get(reverse("certificates:mine")).content.decode()
    assert certificate.number in body and other.number not in body
    client.force_login(coordinator(certificate.enrolment.run.school))
    body = client.get(reverse("certificates:mine")).content.decode()
    assert certificate.number in body and other.number in body


# Staff run page, issuing -------------------------------------------------------------------------


def test_run_page_permissions(run, client, enrolment):
    url = reverse("certificates:run", args=[run.pk])
    assert client.get(url).status_code == 302
    for user, expected in [
        (coordinator(run.school), 200),
        (district_admin(run.school.district), 200),
        (coordinator(SchoolFactory()), 403),
        (instructor(run.school), 403),
        (enrolment.participant, 403),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == expected
    client.force_login(coordinator(run.school))
    assert client.get(reverse("certificates:run", args=[999999])).status_code == 404


def test_issue_one_from_the_run_page(run, enrolment, client):
    client.force_login(coordinator(run.school))
    response = client.post(
        reverse("certificates:issue_one", args=[run.pk]), {"enrolment": enrolment.pk}, follow=True
    )
    certificate = Certificate.objects.get(enrolment=enrolment)
    body = response.content.decode()
    assert f"Bescheinigung {certificate.number} ist ausgestellt." in body
    assert reverse("certificates:download", args=[certificate.pk]) in body


def test_issue_one_refuses_an_enrolment_that_is_not_completed(run, make_enrolment, client):
    from courses.models import Enrolment

    pending = make_enrolment(status=Enrolment.Status.CONFIRMED)
    client.force_login(coordinator(run.school))
    response = client.post(
        reverse("certificates:issue_one", args=[run.pk]), {"enrolment": pending.pk}, follow=True
    )
    assert "nur für abgeschlossene Anmeldungen" in response.content.decode()
    assert not Certificate.objects.exists()


def test_issue_one_of_another_schools_run_is_forbidden(run, enrolment, client):
    client.force_login(coordinator(SchoolFactory()))
    response = client.post(
        reverse("certificates:issue_one", args=[run.pk]), {"enrolment": enrolment.pk}
    )
    assert response.status_code == 403
    assert not Certificate.objects.exists()


# transaction=True: as in a real request, on_commit callbacks run when the service commits, so
# the eager task has finished before the view answers.
@pytest.mark.django_db(transaction=True)
def test_issue_all_runs_eagerly_and_shows_the_result(run, make_enrolment, client, mailoutbox):
    enrolments = [make_enrolment(first_name=f"Teilnehmer{i}", last_name="Groß") for i in range(3)]
    already = issue_certificate(enrolment=enrolments[0], actor=None)
    client.force_login(coordinator(run.school))
    response = client.post(reverse("certificates:issue_all", args=[run.pk]))
    assert response.status_code == 302
    job = IssueJob.objects.get()
    assert (job.status, job.done, job.total) == (IssueJob.Status.DONE, 3, 3)
    assert Certificate.objects.count() == 3
    assert Certificate.objects.get(enrolment=enrolments[0]).pk == already.pk
    body = client.get(response.url).content.decode()
    assert "3 von 3 Bescheinigungen sind ausgestellt." in body
    assert 'value="3"' in body and "3 / 3" in body  # the finished progress bar
    for certificate in Certificate.objects.all():
        assert certificate.number in body
    assert len(mailoutbox) == 3  # each participant got their PDF
    # Running it again issues nothing new.
    client.post(reverse("certificates:issue_all", args=[run.pk]))
    assert Certificate.objects.count() == 3
    assert IssueJob.objects.count() == 2


def test_progress_partial_polls_while_running_and_reloads_when_done(run, client):
    job = IssueJob.objects.create(run=run, total=10, done=4, status=IssueJob.Status.RUNNING)
    client.force_login(coordinator(run.school))
    url = reverse("certificates:job_progress", args=[job.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert '<progress id="job-progress-bar" max="10" value="4">' in body and "4 / 10" in body
    assert "HX-Refresh" not in response
    IssueJob.objects.filter(pk=job.pk).update(done=10, status=IssueJob.Status.DONE)
    response = client.get(url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    assert "every 1s" not in response.content.decode()
    client.force_login(coordinator(SchoolFactory()))
    assert client.get(url).status_code == 403


def test_run_page_without_javascript_refreshes_while_a_job_runs(run, client, enrolment):
    IssueJob.objects.create(run=run, total=1, status=IssueJob.Status.QUEUED)
    client.force_login(coordinator(run.school))
    body = client.get(reverse("certificates:run", args=[run.pk])).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in body
    assert 'hx-trigger="every 1s"' in body


@pytest.mark.parametrize("size", [2, 12])
def test_run_page_query_count_does_not_grow_with_rows(
    run, make_enrolment, client, size, django_assert_max_num_queries
):
    for i in range(size):
        issue_certificate(enrolment=make_enrolment(first_name=f"P{i}"), actor=None)
    client.force_login(coordinator(run.school))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("certificates:run", args=[run.pk]))
    assert response.content.decode().count("/pdf/") == size


@pytest.mark.parametrize("size", [2, 12])
def test_staff_index_and_my_list_query_counts(
    run, make_enrolment, client, size, django_assert_max_num_queries
):
    for i in range(size):
        issue_certificate(enrolment=make_enrolment(first_name=f"P{i}"), actor=None)
    client.force_login(coordinator(run.school))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("certificates:index")).status_code == 200
    with django_assert_max_num_queries(10):
        body = client.get(reverse("certificates:mine")).content.decode()
    assert body.count("/pdf/") == size


def test_revoke_and_reissue_from_the_run_page(certificate, client):
    run = certificate.enrolment.run
    client.force_login(coordinator(run.school))
    response = client.post(
        reverse("certificates:revoke", args=[certificate.pk]), {"reason": ""}, follow=True
    )
    assert "Grund des Widerrufs: Bitte geben Sie einen Grund an." in response.content.decode()
    response = client.post(
        reverse("certificates:revoke", args=[certificate.pk]), {"reason": "x" * 301}, follow=True
    )
    assert "höchstens 300 Zeichen" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_valid
    response = client.post(
        reverse("certificates:reissue", args=[certificate.pk]),
        {"reason": "Tippfehler im Namen"},
        follow=True,
    )
    new = Certificate.objects.get(enrolment=certificate.enrolment, revoked_at__isnull=True)
    assert f"durch {new.number} ersetzt" in response.content.decode()
    response = client.post(
        reverse("certificates:revoke", args=[new.pk]),
        {"reason": "Kurs nicht bestanden"},
        follow=True,
    )
    assert f"Bescheinigung {new.number} ist widerrufen." in response.content.decode()
    assert not Certificate.objects.filter(revoked_at__isnull=True).exists()


def test_revoke_and_reissue_by_others_are_not_found(certificate, client):
    for user in (
        certificate.enrolment.participant,
        coordinator(SchoolFactory()),
        business_contact(certificate.enrolment.business),
    ):
        client.force_login(user)
        for name in ("certificates:revoke", "certificates:reissue"):
            response = client.post(reverse(name, args=[certificate.pk]), {"reason": "x"})
            assert response.status_code == 404, (user, name)
    certificate.refresh_from_db()
    assert certificate.is_valid
    assert Certificate.objects.count() == 1


# School settings ---------------------------------------------------------------------------------


def test_settings_page_only_for_coordinators(school, client):
    url = reverse("certificates:settings")
    assert client.get(url).status_code == 302
    client.force_login(trainee())
    assert client.get(url).status_code == 403
    client.force_login(instructor(school))
    assert client.get(url).status_code == 403
    client.force_login(coordinator(school))
    response = client.get(url)
    assert response.status_code == 200
    assert school.name in response.content.decode()
    assert client.get(url, {"school": SchoolFactory().pk}).status_code == 403


def test_settings_save_wording_logo_and_signature(school, client):
    client.force_login(coordinator(school))
    response = client.post(
        reverse("certificates:settings"),
        {
            "school": school.pk,
            "wording": "hat erfolgreich an unserem Kurs teilgenommen.",
            "signatory": "Dr. Jana Kühn",
            "logo": _upload("logo.png", _png()),
            "signature": _upload("sig.jpg", _png(fmt="JPEG"), "image/jpeg"),
            "save": "1",
        },
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.certificate_wording == "hat erfolgreich an unserem Kurs teilgenommen."
    assert school.certificate_signatory == "Dr. Jana Kühn"
    assert school.certificate_logo.name.startswith("schools/logos/")
    assert school.certificate_signature.name.startswith("schools/signatures/")
    assert AuditEntry.objects.filter(action="school.certificate_settings_changed").exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (("logo.png", b"this is not an image", "image/png"), "PNG oder JPEG"),
        (("logo.gif", None, "image/gif"), "PNG oder JPEG"),
        (("logo.png", "big", "image/png"), "zu groß"),
    ],
)
def test_settings_reject_bad_images_with_a_field_error(school, client, upload, message):
    name, content, content_type = upload
    if content is None:
        buffer = io.BytesIO()
        Image.new("RGB", (20, 20)).save(buffer, "GIF")
        content = buffer.getvalue()
    elif content == "big":
        content = b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 1)
    client.force_login(coordinator(school))
    response = client.post(
        reverse("certificates:settings"),
        {
            "school": school.pk,
            "wording": "",
            "signatory": "",
            "logo": _upload(name, content, content_type),
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    assert (
        'id="id_logo_error"' in body and 'aria-describedby="id_logo_helptext id_logo_error"' in body
    )
    school.refresh_from_db()
    assert not school.certificate_logo


def test_preview_renders_a_sample_without_saving_or_issuing(school, client, tmp_path):
    client.force_login(coordinator(school))
    response = client.post(
        reverse("certificates:settings"),
        {
            "school": school.pk,
            "wording": "Vorschautext mit Umlauten: äöü ß",
            "signatory": "Prof. Müller",
            "logo": _upload("logo.png", _png()),
            "preview": "1",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "preview.pdf"
    path.write_bytes(response.content)
    text = pdf_text(path)
    assert "Vorschautext mit Umlauten: äöü ß" in text and "Prof. Müller" in text
    assert "Jürgen Weiß-Müller" in text  # the sample participant
    school.refresh_from_db()
    assert school.certificate_wording == "" and not school.certificate_logo
    assert not Certificate.objects.exists()
    assert School.objects.get(pk=school.pk).certificate_signatory == ""


def test_staff_messages_in_english(certificate, client):
    client.cookies["django_language"] = "en"
    client.force_login(coordinator(certificate.enrolment.run.school))
    response = client.post(
        reverse("certificates:revoke", args=[certificate.pk]), {"reason": ""}, follow=True
    )
    assert "Reason for revocation:" in response.content.decode()
