"""Interest: register, renew, withdraw; tell the interested when a run is published; remind
before expiry; delete what is long gone.

Side effects are listed per function. E-mails are written into the outbox (core.services.outbox)
in the transaction that claims their row, so a rolled-back change sends nothing, a committed one
is sent even when the broker is down (the outbox sweep), and each is written once."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput, PermissionDenied
from core.services.outbox import enqueue_email
from courses.models import Course, CourseRun
from people.models import Business
from people.roles import roles_of

from ..emails import interest_expiring_email, run_published_email
from ..models import Interest, InterestNotification

MAX_PARTICIPANTS = 200
REMIND_DAYS_BEFORE_EXPIRY = 14
PURGE_AFTER_DAYS = 365


def _expiry(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(days=settings.DEMAND_INTEREST_DAYS)


def _validate(*, participants: int, preferred_start, preferred_end, business, user) -> None:
    if not 1 <= participants <= MAX_PARTICIPANTS:
        raise InvalidInput(
            _("Bitte eine Anzahl zwischen 1 und %(max)s angeben.") % {"max": MAX_PARTICIPANTS},
            field="participants",
        )
    if preferred_start and preferred_end and preferred_end < preferred_start:
        raise InvalidInput(
            _("Das Ende des Zeitraums muss nach seinem Beginn liegen."), field="preferred_end"
        )
    if business is not None and business.pk not in roles_of(user).business_ids:
        raise PermissionDenied(
            _("Sie können nur für Ihren eigenen Betrieb Interesse anmelden."), field="business"
        )


def interest_register(
    *,
    user,
    course: Course,
    participants: int = 1,
    preferred_start: dt.date | None = None,
    preferred_end: dt.date | None = None,
    business: Business | None = None,
    now: dt.datetime | None = None,
) -> Interest:
    """Register interest in a course, or update and renew the open one (registering twice is
    renewing). Side effects: an audit row. Raises InvalidInput for an inactive course or bad
    figures, PermissionDenied for a business the user is no contact of."""
    now = now or timezone.now()
    if not course.is_active:
        raise InvalidInput(_("Dieser Kurs wird nicht mehr angeboten."), field="course")
    _validate(
        participants=participants,
        preferred_start=preferred_start,
        preferred_end=preferred_end,
        business=business,
        user=user,
    )
    values = {
        "participants": participants,
        "preferred_start": preferred_start,
        "preferred_end": preferred_end,
        "business": business,
        "expires_at": _expiry(now),
        "expiry_reminded_at": None,
    }
    with transaction.atomic():
        interest = (
            Interest.objects.select_for_update()
            .filter(user=user, course=course, withdrawn_at__isnull=True)
            .first()
        )
        if interest is None:
            try:
                with transaction.atomic():
                    interest = Interest.objects.create(user=user, course=course, **values)
            except IntegrityError:  # a second click at the same moment: update that one
                interest = Interest.objects.select_for_update().get(
                    user=user, course=course, withdrawn_at__isnull=True
                )
        for name, value in values.items():
            setattr(interest, name, value)
        interest.save()
        audit(actor=user, action="interest.registered", obj=interest, course=course.pk)
        return interest


def _locked_own(interest: Interest, actor) -> Interest:
    locked = Interest.objects.select_for_update().get(pk=interest.pk)
    if locked.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Das ist nicht Ihr Interesse."))
    if locked.withdrawn_at is not None:
        raise InvalidInput(_("Dieses Interesse ist bereits zurückgezogen."))
    return locked


@transaction.atomic
def interest_renew(*, interest: Interest, actor, now: dt.datetime | None = None) -> Interest:
    """Extend an interest (expired or not) by DEMAND_INTEREST_DAYS from now. Audit row."""
    now = now or timezone.now()
    interest = _locked_own(interest, actor)
    interest.expires_at = _expiry(now)
    interest.expiry_reminded_at = None
    interest.save(update_fields=["expires_at", "expiry_reminded_at", "updated_at"])
    audit(actor=actor, action="interest.renewed", obj=interest)
    return interest


@transaction.atomic
def interest_withdraw(*, interest: Interest, actor, now: dt.datetime | None = None) -> Interest:
    """Withdraw an interest: no more e-mails, no priority window. Audit row."""
    interest = _locked_own(interest, actor)
    interest.withdrawn_at = now or timezone.now()
    interest.save(update_fields=["withdrawn_at", "updated_at"])
    audit(actor=actor, action="interest.withdrawn", obj=interest)
    return interest


def interests_notify_for_run(*, run_id: int, now: dt.datetime | None = None) -> int:
    """A run was published (called inside the publishing transaction): every active interest in
    its course not yet told about it gets a notification row (the grant of the priority window)
    and its e-mail in the outbox. Idempotent: the unique (interest, run) row is written once.
    Returns the number of new notifications."""
    now = now or timezone.now()
    run = CourseRun.objects.filter(pk=run_id, status=CourseRun.Status.PUBLISHED).first()
    if run is None:
        return 0
    with transaction.atomic():
        interest_ids = list(
            Interest.objects.filter(Interest.active_q(now), course_id=run.course_id)
            .exclude(notifications__run_id=run.pk)
            .values_list("pk", flat=True)
        )
        InterestNotification.objects.bulk_create(
            [InterestNotification(interest_id=pk, run_id=run.pk) for pk in interest_ids],
            ignore_conflicts=True,
        )
        created = list(
            InterestNotification.objects.filter(
                run_id=run.pk, interest_id__in=interest_ids, sent_at__isnull=True
            ).values_list("pk", flat=True)
        )
        for pk in created:
            interest_notification_send(notification_id=pk, now=now)
    return len(created)


def interest_notification_send(*, notification_id: int, now: dt.datetime | None = None) -> bool:
    """One "new run" e-mail into the outbox, in the transaction that claims `sent_at` (the
    outbox sends it once and retries). False when already sent or nobody to tell."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = InterestNotification.objects.filter(
            pk=notification_id, sent_at__isnull=True
        ).update(sent_at=now)
        if not claimed:
            return False
        notification = InterestNotification.objects.select_related(
            "interest__user", "run__course", "run__school"
        ).get(pk=notification_id)
        user = notification.interest.user
        if not user.is_active or not user.email or notification.interest.withdrawn_at:
            return False
        enqueue_email(run_published_email(notification))
        return True


def interests_remind_expiring(*, now: dt.datetime | None = None) -> int:
    """Interests expiring within REMIND_DAYS_BEFORE_EXPIRY days are claimed once and their
    holders asked to renew, the e-mails written into the outbox in the claiming transaction.
    Returns how many were claimed."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=REMIND_DAYS_BEFORE_EXPIRY)
    with transaction.atomic():
        due = Interest.objects.filter(
            Interest.active_q(now), expires_at__lte=horizon, expiry_reminded_at__isnull=True
        )
        ids = list(due.values_list("pk", flat=True))
        Interest.objects.filter(pk__in=ids, expiry_reminded_at__isnull=True).update(
            expiry_reminded_at=now
        )
        for pk in ids:
            interest_expiry_reminder_send(interest_id=pk)
    return len(ids)


def interest_expiry_reminder_send(*, interest_id: int) -> bool:
    """The reminder e-mail itself (the row was claimed by interests_remind_expiring)."""
    interest = (
        Interest.objects.select_related("user", "course")
        .filter(pk=interest_id, withdrawn_at__isnull=True)
        .first()
    )
    if interest is None or not interest.user.is_active or not interest.user.email:
        return False
    enqueue_email(interest_expiring_email(interest))
    return True


@transaction.atomic
def interests_purge(*, now: dt.datetime | None = None) -> int:
    """Delete interests withdrawn or expired more than PURGE_AFTER_DAYS ago (and their
    notifications). Aggregates of the past keep only what the statistics pages count anew."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=PURGE_AFTER_DAYS)
    _total, per_model = Interest.objects.filter(
        Q(withdrawn_at__lt=cutoff) | Q(withdrawn_at__isnull=True, expires_at__lt=cutoff)
    ).delete()
    return per_model.get(Interest._meta.label, 0)
