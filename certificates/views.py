"""Staff pages (issue, revoke, reissue, bulk job with progress, school settings) and downloads.
Thin: each view declares who may call it (core.access), parses input, calls a service or selector
and renders. Runs and jobs are staff-visible (403 for others); a certificate is personal, so a
stranger gets 404. The public verification lives in certificates/verify.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import access
from core.errors import DomainError
from courses.models import CourseRun, Enrolment
from people.models import School
from people.roles import managed_school_ids

from . import selectors, services
from .forms import CertificateSettingsForm, IssueOneForm, ReasonForm
from .models import Certificate, IssueJob
from .pdf import load_images, render_certificate_pdf
from .snapshot import sample_data

RUNS = CourseRun.objects.select_related("course", "school")
JOBS = IssueJob.objects.select_related("run")
CERTIFICATES = Certificate.objects.select_related("enrolment__run", "enrolment__business")


@access("certificates.manage_certificates")
@require_GET
def index(request):
    runs = selectors.runs_for_certificates(request.user)
    return render(request, "certificates/staff_index.html", {"runs": runs})


@access("certificates.issue_certificate", model=RUNS, url_kwarg="run_id")
@require_GET
def run_certificates(request, obj: CourseRun):
    run = obj
    enrolments = list(selectors.run_enrolments_with_certificates(run))
    for enrolment in enrolments:
        enrolment.valid_certificate = next(
            (c for c in enrolment.certificate_list if c.is_valid), None
        )
        enrolment.old_certificates = [c for c in enrolment.certificate_list if not c.is_valid]
    job = selectors.latest_job(run)
    context = {
        "run": run,
        "enrolments": enrolments,
        "job": job,
        "job_active": job is not None
        and job.status in (IssueJob.Status.QUEUED, IssueJob.Status.RUNNING),
        "missing": sum(1 for e in enrolments if e.valid_certificate is None),
    }
    return render(request, "certificates/run.html", context)


@access("certificates.issue_certificate", model=RUNS, url_kwarg="run_id")
@require_POST
def issue_one(request, obj: CourseRun):
    run = obj
    form = IssueOneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie eine Anmeldung aus."))
        return redirect("certificates:run", run_id=run.pk)
    enrolment = get_object_or_404(Enrolment, pk=form.cleaned_data["enrolment"], run=run)
    try:
        certificate = services.issue_certificate(enrolment=enrolment, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Bescheinigung %(number)s ist ausgestellt.") % {"number": certificate.number}
        )
    return redirect("certificates:run", run_id=run.pk)


@access("certificates.issue_certificate", model=RUNS, url_kwarg="run_id")
@require_POST
def issue_all(request, obj: CourseRun):
    run = obj
    job = services.start_issue_job(run=run, actor=request.user)
    job.refresh_from_db()
    if job.status == IssueJob.Status.DONE:
        messages.success(
            request,
            _("%(done)s von %(total)s Bescheinigungen sind ausgestellt.")
            % {"done": job.done, "total": job.total},
        )
    elif job.status == IssueJob.Status.FAILED:
        messages.error(
            request, _("Das Ausstellen ist fehlgeschlagen: %(error)s") % {"error": job.error}
        )
    return redirect("certificates:run", run_id=run.pk)


@access("certificates.issue_certificate", model=JOBS, url_kwarg="job_id")
@require_GET
def job_progress(request, obj: IssueJob):
    """The progress bar alone, polled by htmx each second; when the job ends it asks the page to
    reload (HX-Refresh) so that the list shows the new certificates."""
    job = obj
    active = job.status in (IssueJob.Status.QUEUED, IssueJob.Status.RUNNING)
    response = render(request, "certificates/_progress.html", {"job": job, "job_active": active})
    if not active and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@access("certificates.revoke_certificate", model=CERTIFICATES, private=True)
@require_POST
def revoke(request, obj: Certificate):
    certificate = obj
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Grund des Widerrufs: %(error)s") % {"error": form.errors["reason"][0]}
        )
    else:
        try:
            services.revoke_certificate(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Bescheinigung %(number)s ist widerrufen.") % {"number": certificate.number},
            )
    return redirect("certificates:run", run_id=certificate.enrolment.run_id)


# Reissuing revokes the certificate and issues one for the same run: revoking and issuing are both
# the school's coordinators' (certificates/rules.py), so the revoke permission decides.
@access("certificates.revoke_certificate", model=CERTIFICATES, private=True)
@require_POST
def reissue(request, obj: Certificate):
    certificate = obj
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Grund der Neuausstellung: %(error)s") % {"error": form.errors["reason"][0]}
        )
    else:
        try:
            new = services.reissue_certificate(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Bescheinigung %(old)s ist widerrufen und durch %(new)s ersetzt.")
                % {"old": certificate.number, "new": new.number},
            )
    return redirect("certificates:run", run_id=certificate.enrolment.run_id)


@access("certificates.download_certificate", model=CERTIFICATES, private=True)
@require_GET
def download(request, obj: Certificate):
    certificate = obj
    if not certificate.pdf:
        raise Http404
    filename = f"{_('Teilnahmebescheinigung')}-{certificate.number}.pdf"
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )


@access()  # any signed-in user: the list holds only what they may see
@require_GET
def my_certificates(request):
    certificates = selectors.certificates_visible_to(request.user)
    return render(request, "certificates/list.html", {"certificates": certificates})


# School settings ---------------------------------------------------------------------------------


def _settings_school(request) -> tuple[School, list[School]]:
    """The school chosen with ?school= (or the first), among the schools the user manages; another
    school is a 403 like any school the user may not manage (core/access.py)."""
    schools = list(School.objects.filter(pk__in=managed_school_ids(request.user)).order_by("name"))
    wanted = request.POST.get("school") or request.GET.get("school")
    school = schools[0]
    if wanted:
        school = next((s for s in schools if str(s.pk) == str(wanted)), None)
        if school is None:
            raise PermissionDenied
    return school, schools


def _preview_images(form: CertificateSettingsForm, school: School) -> dict[str, bytes | None]:
    saved = load_images(
        {
            "school": {
                "logo": school.certificate_logo.name,
                "signature": school.certificate_signature.name,
            }
        }
    )
    images = {}
    for key in ("logo", "signature"):
        upload = form.cleaned_data.get(key)
        if upload is not None:
            images[key] = upload.read()
            upload.seek(0)
        elif form.cleaned_data.get(f"remove_{key}"):
            images[key] = None
        else:
            images[key] = saved[key]
    return images


@access("certificates.manage_certificates")
@require_http_methods(["GET", "POST"])
def school_settings(request):
    school, schools = _settings_school(request)
    if request.method == "POST":
        form = CertificateSettingsForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                # Nothing is saved or issued: the unsaved form values go straight into a sample.
                school.certificate_wording = data["wording"]
                school.certificate_signatory = data["signatory"]
                language = request.POST.get("preview_language", "de")
                sample = sample_data(
                    school=school, language=language if language in ("de", "en") else "de"
                )
                content = render_certificate_pdf(sample, images=_preview_images(form, school))
                response = HttpResponse(content, content_type="application/pdf")
                response["Content-Disposition"] = 'inline; filename="Vorschau.pdf"'
                return response
            services.update_certificate_settings(
                school=school,
                actor=request.user,
                wording=data["wording"],
                signatory=data["signatory"],
                logo=data["logo"],
                signature=data["signature"],
                remove_logo=data["remove_logo"],
                remove_signature=data["remove_signature"],
            )
            messages.success(request, _("Die Einstellungen für Bescheinigungen sind gespeichert."))
            return redirect(f"{request.path}?school={school.pk}")
    else:
        form = CertificateSettingsForm(
            initial={
                "wording": school.certificate_wording,
                "signatory": school.certificate_signatory,
            }
        )
    return render(
        request,
        "certificates/settings.html",
        {"form": form, "school": school, "schools": schools},
        status=422 if form.is_bound and form.errors else 200,
    )
