"""Celery tasks for planning (thin wrappers over courses.services.planning and selectors).

Safe to run twice: a run is flagged once (`min_participants_flagged_at` claimed with a conditional
update before the e-mail goes out)."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

__all__ = ["flag_runs_below_minimum"]


def coordinator_emails(school_id: int) -> list[str]:
    from people.models import Membership

    return sorted(
        set(
            Membership.objects.filter(
                school_id=school_id, role=Membership.Role.COORDINATOR, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


@shared_task
def flag_runs_below_minimum(now_iso: str | None = None) -> int:
    """Published runs starting within MIN_PARTICIPANTS_CHECK_DAYS with fewer confirmed enrolments
    than their minimum: flag each once and e-mail the school's coordinators."""
    from ..models import CourseRun
    from ..selectors import staff_runs

    now = dt.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    horizon = now + dt.timedelta(days=settings.MIN_PARTICIPANTS_CHECK_DAYS)
    candidates = (
        staff_runs()
        .filter(
            status=CourseRun.Status.PUBLISHED,
            min_participants_flagged_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=horizon,
        )
        .order_by("starts_at")
    )
    flagged = 0
    for run in candidates:
        if run.confirmed >= run.min_participants:
            continue
        with transaction.atomic():
            claimed = CourseRun.objects.filter(
                pk=run.pk, min_participants_flagged_at__isnull=True
            ).update(min_participants_flagged_at=now)
            if not claimed:
                continue  # another worker got there first
            recipients = coordinator_emails(run.school_id)
            if recipients:
                context = {"run": run, "site_url": settings.SITE_URL}
                body = render_to_string("staff/emails/below_minimum.txt", context)
                subject = render_to_string("staff/emails/below_minimum_subject.txt", context)
                transaction.on_commit(
                    lambda s=subject, b=body, r=recipients: send_mail(
                        " ".join(s.split()), b, None, r
                    )
                )
        flagged += 1
    return flagged
