"""Employment: a person asks a business, the business's contact confirms or refuses; a contact
or the person ends it. Only a confirmed link counts anywhere (booking, business lists, the chamber
API); TraineeProfile.business mirrors it and is written here only.

Lock order: the person's user row first (one employer at a time is decided under it), then the
employment row."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import DomainError, PermissionDenied
from core.links import absolute_url
from core.services.outbox import enqueue_email

from ..emails import message_to, messages_to_contacts
from ..models import OPEN_STATUSES, Business, Employment, TraineeProfile, User
from ..roles import roles_of

Status = Employment.Status
# Open requests a person may have at once: each one e-mails a business's contacts.
MAX_OPEN_REQUESTS = 3


def send_on_commit(messages) -> None:
    """Into the e-mail outbox, in the caller's transaction: sent once it commits (or by the
    outbox sweep), nothing for a rollback."""
    for message in messages:
        enqueue_email(message)


def _check_contact(actor: User, business: Business) -> None:
    if business.pk not in roles_of(actor).business_ids:
        raise PermissionDenied(_("Sie sind keine Ansprechperson dieses Betriebs."))


def _lock_person(user: User) -> None:
    User.objects.select_for_update().filter(pk=user.pk).first()


def _sync_profile(user: User, now: dt.datetime) -> None:
    """Mirror the confirmed employer on the person's profile (created for someone without one:
    a business's staff member who signed up before this)."""
    business_id = (
        Employment.objects.filter(user=user, status=Status.CONFIRMED)
        .values_list("business_id", flat=True)
        .first()
    )
    updated = TraineeProfile.objects.filter(user=user).update(
        business_id=business_id, updated_at=now
    )
    if not updated and business_id is not None:
        TraineeProfile.objects.create(
            user=user, kind=TraineeProfile.Kind.STAFF, business_id=business_id
        )


def _end_other_confirmed(user: User, keep: Employment | None, actor, now: dt.datetime) -> None:
    """One employer at a time: confirming a new one ends the previous one (the person asked for
    or accepted the new one)."""
    others = Employment.objects.filter(user=user, status=Status.CONFIRMED)
    if keep is not None and keep.pk:
        others = others.exclude(pk=keep.pk)
    for old in others:
        old.status, old.ended_at, old.ended_by = Status.ENDED, now, actor
        old.save(update_fields=["status", "ended_at", "ended_by", "updated_at"])
        audit(actor=actor, action="employment.ended", obj=old, reason="new_employer")


def confirm_locked(
    employment: Employment, *, actor: User | None, now: dt.datetime, source: str | None = None
) -> Employment:
    """Confirm under the person's lock (held by the caller): end the previous employer, mirror
    the profile."""
    _end_other_confirmed(employment.user, employment, actor, now)
    employment.status, employment.decided_at = Status.CONFIRMED, now
    employment.confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
    if source:
        employment.source = source
    employment.save()
    _sync_profile(employment.user, now)
    audit(actor=actor, action="employment.confirmed", obj=employment, source=employment.source)
    return employment


def employment_request(*, user: User, business: Business) -> Employment:
    """The person asks to be confirmed as employed by the business; its contacts get an e-mail.
    Until a contact confirms, the person books as a private person."""
    if not business.is_active:
        raise DomainError(_("Dieser Betrieb ist nicht aktiv."), field="member_number")
    with transaction.atomic():
        _lock_person(user)
        existing = Employment.objects.filter(user=user, business=business, status__in=OPEN_STATUSES)
        if existing.exists():
            raise DomainError(
                _("Sie haben bei diesem Betrieb schon angefragt oder sind dort bestätigt."),
                field="member_number",
            )
        if (
            Employment.objects.filter(user=user, status=Status.REQUESTED).count()
            >= MAX_OPEN_REQUESTS
        ):
            raise DomainError(
                _("Sie haben schon %(n)s offene Anfragen. Bitte warten Sie auf eine Antwort.")
                % {"n": MAX_OPEN_REQUESTS},
                field="member_number",
            )
        try:
            with transaction.atomic():
                employment = Employment.objects.create(
                    user=user,
                    business=business,
                    status=Status.REQUESTED,
                    source=Employment.Source.REQUEST,
                    requested_by=user,
                )
        except IntegrityError as exc:  # the same request sent twice at once
            raise DomainError(
                _("Sie haben bei diesem Betrieb schon angefragt."), field="member_number"
            ) from exc
        audit(actor=user, action="employment.requested", obj=employment)
        send_on_commit(
            messages_to_contacts(
                business,
                "employment_requested",
                {
                    "name": user.get_full_name() or user.email,
                    "email": user.email,
                    "business": business.name,
                    "url": absolute_url("people:business_people") + f"?business={business.pk}",
                },
            )
        )
    return employment


def _decide(employment: Employment, *, actor: User, confirm: bool) -> Employment:
    _check_contact(actor, employment.business)
    now = timezone.now()
    with transaction.atomic():
        _lock_person(employment.user)
        employment = Employment.objects.select_for_update().get(pk=employment.pk)
        if employment.status != Status.REQUESTED:
            raise DomainError(_("Über diese Anfrage wurde schon entschieden."))
        if confirm:
            confirm_locked(employment, actor=actor, now=now)
        else:
            employment.status, employment.decided_at, employment.confirmed_by = (
                Status.REFUSED,
                now,
                actor,
            )
            employment.save(update_fields=["status", "decided_at", "confirmed_by", "updated_at"])
            audit(actor=actor, action="employment.refused", obj=employment)
        send_on_commit(
            [
                message_to(
                    employment.user,
                    "employment_confirmed" if confirm else "employment_refused",
                    {
                        "name": employment.user.get_full_name() or employment.user.email,
                        "business": employment.business.name,
                        "url": absolute_url("people:my_employer"),
                    },
                )
            ]
        )
    return employment


def employment_confirm(*, employment: Employment, actor: User) -> Employment:
    """A contact of the business confirms the request: from now on the business sees the person,
    books for them and pays for their business bookings."""
    return _decide(employment, actor=actor, confirm=True)


def employment_refuse(*, employment: Employment, actor: User) -> Employment:
    return _decide(employment, actor=actor, confirm=False)


def employment_end(*, employment: Employment, actor: User) -> Employment:
    """The person leaves or a contact removes them (a request is withdrawn the same way). Their
    bookings stay as they were; new ones are private. A person a contact removes is told by
    e-mail (through the outbox, in this transaction)."""
    removed = actor.pk != employment.user_id
    if removed:
        _check_contact(actor, employment.business)
    now = timezone.now()
    with transaction.atomic():
        _lock_person(employment.user)
        employment = Employment.objects.select_for_update().get(pk=employment.pk)
        if employment.status not in OPEN_STATUSES:
            raise DomainError(_("Diese Verbindung besteht nicht mehr."))
        was_confirmed = employment.status == Status.CONFIRMED
        employment.status, employment.ended_at, employment.ended_by = Status.ENDED, now, actor
        employment.save(update_fields=["status", "ended_at", "ended_by", "updated_at"])
        _sync_profile(employment.user, now)
        audit(
            actor=actor,
            action="employment.ended",
            obj=employment,
            reason="removed_by_business" if removed else "left",
        )
        if removed and was_confirmed and employment.user.email:
            enqueue_email(
                message_to(
                    employment.user,
                    "employment_ended",
                    {
                        "name": employment.user.get_full_name() or employment.user.email,
                        "business": employment.business.name,
                        "url": absolute_url("people:my_employer"),
                    },
                )
            )
    return employment


def employment_from_chamber(*, user: User, business: Business, actor=None) -> Employment:
    """The chamber registers the person's apprenticeship with its member business (its
    Lehrlingsrolle is the register of these contracts): a confirmed link. Called by the chamber
    API only for accounts it created or whose owner confirmed the record (ChamberLink)."""
    now = timezone.now()
    with transaction.atomic():
        _lock_person(user)
        current = Employment.objects.filter(user=user, business=business, status__in=OPEN_STATUSES)
        employment = current.select_for_update().first()
        if employment is not None and employment.status == Status.CONFIRMED:
            return employment
        if employment is None:
            employment = Employment(
                user=user, business=business, source=Employment.Source.CHAMBER, requested_by=None
            )
        return confirm_locked(employment, actor=actor, now=now, source=Employment.Source.CHAMBER)
