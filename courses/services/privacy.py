"""Privacy: a person downloads everything we hold about them, and deletes their account.

Deletion anonymises rather than erases the rows others depend on: enrolments stay (course lists
and statistics of the school) without the person; the name stays on an enrolment only while a
certificate issued for it is inside the retention period, so that the certificate can still be
verified with the name the chamber has on record. The account itself is emptied and disabled."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.audit import audit
from core.formatting import iso
from core.links import absolute_url
from core.models import AuditEntry
from core.services.outbox import withdraw_emails_to
from people.models import ChamberLink, Employment, Membership, TraineeProfile, User

from ..models import Attendance, Enrolment
from ..signals import personal_data_requested
from .booking.cancel import cancel


def _certificates(enrolment) -> list:
    manager = getattr(enrolment, "certificates", None)
    return list(manager.all()) if manager is not None else []


def export_person_data(user: User) -> dict:
    """All personal data of one person as a JSON-ready dict."""
    from allauth.account.models import EmailAddress

    profile = TraineeProfile.objects.filter(user=user).select_related("business").first()
    enrolments = (
        Enrolment.objects.filter(participant=user)
        .select_related("run__course", "run__school", "business")
        .prefetch_related("certificates")
        .order_by("created_at")
    )
    attendances: dict[int, list] = {}
    for a in Attendance.objects.filter(enrolment__participant=user).select_related("session"):
        attendances.setdefault(a.enrolment_id, []).append(
            {
                "session_start": iso(a.session.start),
                "session_end": iso(a.session.end),
                "status": a.status,
                "minutes": a.minutes,
                "reason": a.reason,
                "method": a.method,
            }
        )
    export = {
        "exported_at": iso(timezone.now()),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_of_birth": iso(user.date_of_birth),
            "language": user.language,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "profile": (
            {
                "kind": profile.kind,
                "employer": profile.business.name if profile.business else None,
                "occupation": profile.occupation,
                "apprenticeship_start": iso(profile.apprenticeship_start),
                "lehrlingsrolle_number": profile.lehrlingsrolle_number,
            }
            if profile
            else None
        ),
        "roles": [
            {"role": m.role, "scope": str(m.school or m.business or m.district)}
            for m in Membership.objects.filter(user=user).select_related(
                "school", "business", "district"
            )
        ],
        "employments": [
            {
                "business": e.business.name,
                "status": e.status,
                "source": e.source,
                "requested_at": iso(e.created_at),
                "decided_at": iso(e.decided_at),
                "ended_at": iso(e.ended_at),
            }
            for e in Employment.objects.filter(user=user).select_related("business")
        ],
        "enrolments": [
            {
                "id": e.pk,
                "course": e.run.course.title,
                "run": e.run_id,
                "school": e.run.school.name,
                "starts_at": iso(e.run.starts_at),
                "status": e.status,
                "business": e.business.name if e.business else None,
                "booked_at": iso(e.created_at),
                "confirmed_at": iso(e.confirmed_at),
                "cancelled_at": iso(e.cancelled_at),
                "cancel_reason": e.cancel_reason,
                "attendance": attendances.get(e.pk, []),
                "certificates": [
                    {
                        "number": c.number,
                        "issued_at": iso(c.issued_at),
                        "revoked_at": iso(c.revoked_at),
                        "verification_url": absolute_url(
                            "certificates:verify", c.verification_code
                        ),
                    }
                    for c in _certificates(e)
                ],
            }
            for e in enrolments
        ],
        "activity": [
            {"at": iso(a.at), "action": a.action, "object": f"{a.object_type}#{a.object_id}"}
            for a in AuditEntry.objects.filter(actor=user).order_by("at")[:1000]
        ],
    }
    # The apps above courses add what they hold about the person (interests, requests, ...).
    for _receiver, sections in personal_data_requested.send(sender=User, user=user):
        export.update(sections or {})
    return export


def _keep_name(enrolment, now: dt.datetime) -> bool:
    """The name stays while a valid certificate of the enrolment is inside the retention period."""
    limit = now - dt.timedelta(days=settings.CERTIFICATE_RETENTION_DAYS)
    return any(c.revoked_at is None and c.issued_at >= limit for c in _certificates(enrolment))


def delete_account(*, user: User, now: dt.datetime | None = None) -> None:
    """Cancel what is still running (the next waiting move up), anonymise the enrolments, remove
    the profile, roles and e-mail addresses, and empty and disable the account."""
    from allauth.account.models import EmailAddress

    now = now or timezone.now()
    active = Enrolment.objects.filter(participant=user, status__in=Enrolment.Status.ACTIVE)
    with transaction.atomic():
        for enrolment in list(active.only("pk", "run_id")):
            # Each cancel takes its run's lock and promotes the next waiting, as any cancellation.
            cancel(enrolment=enrolment, actor=None, reason="Konto gelöscht", now=now)
        mine = Enrolment.objects.filter(participant=user).prefetch_related("certificates")
        for enrolment in mine:
            enrolment.participant = None
            if not _keep_name(enrolment, now):
                enrolment.participant_name = ""
            enrolment.save(update_fields=["participant", "participant_name", "updated_at"])
        # The cancellation e-mails above went to the outbox; nothing goes to a deleted address.
        withdraw_emails_to(address=user.email)
        TraineeProfile.objects.filter(user=user).delete()
        # The business no longer lists the person; chamber records waiting for them go too.
        Employment.objects.filter(user=user).delete()
        ChamberLink.objects.filter(user=user).delete()
        Membership.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        user_id = user.pk
        user.email = f"geloescht-{user_id}@invalid.example"
        user.first_name = ""
        user.last_name = ""
        user.date_of_birth = None
        user.is_active = False
        user.anonymised_at = now
        user.set_unusable_password()
        user.save()
        audit(actor=None, action="account.deleted", obj=user)


def purge_expired_names(*, now: dt.datetime | None = None) -> int:
    """Daily: names kept on anonymised enrolments for a certificate go once retention has ended."""
    now = now or timezone.now()
    purged = 0
    kept = Enrolment.objects.filter(participant__isnull=True).exclude(participant_name="")
    for enrolment in kept.prefetch_related("certificates"):
        if not _keep_name(enrolment, now):
            Enrolment.objects.filter(pk=enrolment.pk).update(participant_name="")
            purged += 1
    return purged
