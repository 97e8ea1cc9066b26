"""Issuing, revoking and reissuing certificates and the bulk job; the school's certificate
settings are in `school_settings` and importable from here.

Lock order, the same everywhere so that two writers never wait on each other in a circle:
enrolment → certificate → sequence (school, year). The sequence row is locked last and held until
commit, which serialises the numbering of one school and year and makes it gapless: a number is
only taken in the transaction that also stores the certificate printing it."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, router, transaction
from django.db.models.sql import UpdateQuery
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.events import record_event
from core.formatting import iso
from core.handoff import delay_on_commit
from core.precompiled import Placeholders, Precompiled
from core.roundtrip import RoundTrip
from core.services.outbox import hand_off_now
from courses.hours import scheduled_sessions
from courses.models import CourseRun, Enrolment

from .. import status_list
from ..codes import new_code as new_verification_code
from ..document import issue_file
from ..errors import AlreadyRevoked, NotEligible, ReasonRequired
from ..models import Certificate, IssueJob
from ..snapshot import build_data
from ..tasks import issue_for_run as issue_for_run_task
from .email import email_certificate as email_certificate
from .email import enqueue_issued_email, mail_recipient
from .locking import Locked, lock_for_issuing, valid_certificate
from .numbering import next_number
from .school_settings import update_certificate_settings as update_certificate_settings

logger = logging.getLogger(__name__)

# A job that has not moved for this long is taken as lost (broker down, worker gone), so that the
# coordinator can start a new one; the new one skips whatever the old one issued.
STALE_JOB_AFTER = dt.timedelta(minutes=10)
# A queued or running job that has not moved for CERTIFICATE_JOB_LEASE_SECONDS is enqueued
# again by the recovery sweep (services.recovery, beat every 20 s).


def _user_or_none(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _chamber_id(enrolment: Enrolment) -> int | None:
    return enrolment.business.chamber_id if enrolment.business_id and enrolment.business else None


def _payload(certificate: Certificate) -> dict:
    enrolment = certificate.enrolment
    return {
        "id": certificate.pk,
        "number": certificate.number,
        "enrolment": enrolment.pk,
        "run": enrolment.run_id,
        "participant": enrolment.participant_id,
        "business": enrolment.business_id,
        "verification_url": certificate.data.get("verification_url", ""),
        "issued_at": iso(certificate.issued_at),
        "revoked_at": iso(certificate.revoked_at),
        "replaced_by": certificate.replaced_by_id,
    }


def _locked_enrolment(pk: int) -> Enrolment:
    """The enrolment, locked, with what its certificate prints."""
    # `of=("self",)`: PostgreSQL cannot lock the nullable side of select_related's outer joins.
    locked = Enrolment.objects.select_for_update(of=("self",))
    return locked.select_related(
        "run__course", "run__school__district", "run__instructor", "participant", "business"
    ).get(pk=pk)


def _run_for_issuing(run_id: int) -> CourseRun:
    """The run with what every certificate of it prints alike (course, school and district,
    instructor, scheduled sessions), read once for all the certificates of a bulk job."""
    run = CourseRun.objects.select_related("course", "school__district", "instructor").get(
        pk=run_id
    )
    run.scheduled_sessions_list = scheduled_sessions(run)
    return run


def issue_certificate(
    *,
    enrolment: Enrolment,
    actor=None,
    run: CourseRun | None = None,
    lists: status_list.SchoolLists | None = None,
) -> Certificate:
    """The valid certificate of a completed enrolment: issued now, or the one it already has.
    `run`: the enrolment's run from `_run_for_issuing`, and `lists`: its school's status-list
    allocator, which a bulk job keeps for all its certificates.

    Idempotent: a second call (a double click, a retried task, a second bulk job) returns the
    existing certificate. Raises NotEligible unless the enrolment is completed."""
    written: list[str] = []
    try:
        with transaction.atomic():
            read = None
            if run is None:
                locked = _locked_enrolment(enrolment.pk)
                alias = router.db_for_write(Certificate)
                existing = valid_certificate.rows(alias, None, enrolment=locked.pk)
                existing_id = existing[0][0] if existing else None
            else:
                lists = lists or status_list.SchoolLists(run.school_id)
                read = lock_for_issuing(enrolment.pk, run=run, lists=lists)
                locked, existing_id = read.enrolment, read.certificate_id
            if existing_id is not None:
                return Certificate.objects.get(pk=existing_id)
            if locked.status != Enrolment.Status.COMPLETED:
                raise NotEligible(
                    _("Eine Bescheinigung gibt es nur für abgeschlossene Anmeldungen."),
                    field="enrolment",
                )
            return _create_certificate(
                enrolment=locked, actor=actor, written=written, lists=lists, read=read
            )
    except IntegrityError:
        # Only reachable if a writer bypassed the enrolment lock: the constraint still holds.
        for name in written:
            default_storage.delete(name)
        existing = Certificate.objects.filter(
            enrolment_id=enrolment.pk, revoked_at__isnull=True
        ).first()
        if existing is None:
            raise
        return existing
    except BaseException:
        # The transaction rolled back; the PDF written to storage must not outlive it.
        for name in written:
            default_storage.delete(name)
        raise


def _create_certificate(
    *,
    enrolment: Enrolment,
    actor,
    written: list[str],
    lists: status_list.SchoolLists | None,
    read: Locked | None = None,
) -> Certificate:
    """`read`: what `lock_for_issuing` read with the lock (a bulk job), or None."""
    run = enrolment.run
    issued_at = timezone.now()
    year = timezone.localtime(issued_at).year
    code = new_verification_code()
    present = read.present if read else None
    data = build_data(
        enrolment=enrolment, number="", code=code, issued_at=issued_at, present=present
    )
    # The number is printed on the PDF, so the sequence row stays locked from here through rendering
    # to commit: issuing within one school and year is serial (bench/certificates.py measures it).
    number = next_number(school=run.school, year=year)
    data["number"] = number
    issued = issue_file(data, lists=lists, entry=read.status_entry() if read else None)
    certificate = Certificate(
        pk=read.certificate_pk if read else None,
        enrolment=enrolment,
        number=number,
        verification_code=code,
        issued_at=issued_at,
        issued_by=_user_or_none(actor),
        data=data,
        sha256=issued.sha256,
        badge_jwt=issued.badge_jwt,
        status_list=issued.status_list,
        status_index=issued.status_index,
        # The e-mail is enqueued below in this transaction: marked in the INSERT, not after it.
        emailed_at=issued_at if mail_recipient(enrolment) else None,
    )
    # A random part in the file name: the number alone is guessable, the file is personal data.
    name = f"{number}-{secrets.token_hex(8)}.pdf"
    certificate.pdf.save(name, ContentFile(issued.pdf), save=False)
    written.append(certificate.pdf.name)
    # The certificate's id names the rows after it, written together in one round trip (with
    # the certificate's row when its id was reserved).
    trip = RoundTrip(router.db_for_write(Certificate))
    trip.insert(certificate)
    if certificate.pk is None:
        trip.run()
    audit(
        actor=actor,
        action="certificate.issued",
        obj=certificate,
        into=trip,
        number=number,
        enrolment=enrolment.pk,
    )
    record_event(
        type="certificate.issued",
        payload=_payload(certificate),
        chamber_id=_chamber_id(enrolment),
        into=trip,
    )
    enqueue_issued_email(certificate, into=trip)
    trip.run()
    return certificate


def revoke_certificate(*, certificate: Certificate, actor, reason: str) -> Certificate:
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    with transaction.atomic():
        locked = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("enrolment__business")
            .get(pk=certificate.pk)
        )
        if locked.revoked_at is not None:
            raise AlreadyRevoked(_("Diese Bescheinigung ist bereits widerrufen."))
        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason[:300]
        locked.save(update_fields=["revoked_at", "revoked_reason", "updated_at"])
        audit(
            actor=actor,
            action="certificate.revoked",
            obj=locked,
            number=locked.number,
            reason=reason,
        )
        record_event(
            type="certificate.revoked",
            payload=_payload(locked),
            chamber_id=_chamber_id(locked.enrolment),
        )
    return locked


def reissue_certificate(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """Revoke a certificate and issue its enrolment a new one with a new number and fresh data
    (a corrected name, say). Both happen or neither."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    new = None
    try:
        with transaction.atomic():
            enrolment = _locked_enrolment(certificate.enrolment_id)
            if enrolment.status != Enrolment.Status.COMPLETED:
                raise NotEligible(
                    _("Eine Bescheinigung gibt es nur für abgeschlossene Anmeldungen."),
                    field="enrolment",
                )
            old = revoke_certificate(certificate=certificate, actor=actor, reason=reason)
            new = issue_certificate(enrolment=enrolment, actor=actor)
            old.replaced_by = new
            old.save(update_fields=["replaced_by", "updated_at"])
            audit(actor=actor, action="certificate.reissued", obj=new, replaces=old.number)
    except BaseException:
        if new is not None and new.pdf.name:
            default_storage.delete(new.pdf.name)
        raise
    return new


# Bulk issuing ------------------------------------------------------------------------------------


def start_issue_job(*, run: CourseRun, actor) -> IssueJob:
    """Queue a job that issues certificates for every completed enrolment of the run. While one is
    queued or running for the run, that one is returned instead of starting a second."""
    with transaction.atomic():
        locked_run = CourseRun.objects.select_for_update().get(pk=run.pk)
        current = (
            IssueJob.objects.filter(
                run=locked_run,
                status__in=[IssueJob.Status.QUEUED, IssueJob.Status.RUNNING],
                updated_at__gte=timezone.now() - STALE_JOB_AFTER,
            )
            .order_by("-created_at")
            .first()
        )
        if current is not None:
            return current
        total = Enrolment.objects.filter(run=locked_run, status=Enrolment.Status.COMPLETED).count()
        job = IssueJob.objects.create(
            run=locked_run, requested_by=_user_or_none(actor), total=total
        )
        audit(
            actor=actor,
            action="certificate.issue_job_started",
            obj=job,
            run=locked_run.pk,
            total=total,
        )
        job_id = job.pk
        delay_on_commit(issue_for_run_task, job_id)
    return job


def _progress_query(p: Placeholders, alias: str, _shape) -> UpdateQuery:
    query = IssueJob.objects.using(alias).filter(pk=p.id("job")).query.chain(UpdateQuery)
    query.add_update_values({"done": p.id("done"), "updated_at": p.datetime("updated_at")})
    return query


# After every certificate: the progress bar, and the sign of life the recovery sweep looks for.
_progress = Precompiled(_progress_query, prepared=True)


def run_issue_job(*, job_id: int) -> IssueJob | None:
    """The body of the bulk task. Each certificate is its own transaction, and enrolments that
    already have one are skipped: a crash or a retry at any point issues each certificate once.
    The runner touches `updated_at` after every certificate; a job silent for its lease (killed
    worker, lost message) is enqueued again by `recovery.resume_stale_jobs`."""
    job = IssueJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status == IssueJob.Status.DONE:
        return job
    enrolments = list(
        Enrolment.objects.filter(run_id=job.run_id, status=Enrolment.Status.COMPLETED).order_by(
            "pk"
        )
    )
    have = set(
        Certificate.objects.filter(
            enrolment__run_id=job.run_id, revoked_at__isnull=True
        ).values_list("enrolment_id", flat=True)
    )
    IssueJob.objects.filter(pk=job.pk).update(
        status=IssueJob.Status.RUNNING,
        total=len(enrolments),
        done=0,
        error="",
        updated_at=timezone.now(),
    )
    alias = router.db_for_write(IssueJob)
    try:
        run = _run_for_issuing(job.run_id)
        lists = status_list.SchoolLists(run.school_id)
        for done, enrolment in enumerate(enrolments, start=1):
            if enrolment.pk not in have:
                # NotEligible: its status changed since the list was read: nothing to issue.
                with contextlib.suppress(NotEligible):
                    issue_certificate(
                        enrolment=enrolment, actor=job.requested_by, run=run, lists=lists
                    )
            _progress.execute(alias, None, job=job.pk, done=done, updated_at=timezone.now())
        hand_off_now()  # the last e-mails of the job: not after the batch's wait
    except Exception as exc:
        IssueJob.objects.filter(pk=job.pk).update(
            status=IssueJob.Status.FAILED, error=str(exc)[:2000], updated_at=timezone.now()
        )
        raise
    IssueJob.objects.filter(pk=job.pk).update(
        status=IssueJob.Status.DONE, finished_at=timezone.now(), updated_at=timezone.now()
    )
    job.refresh_from_db()
    return job
