"""Celery tasks for equipment (thin wrappers over workshops.selectors).

Safe to run twice: each (item, kind, due date) is noticed once (MaintenanceNotice is unique)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from people.models import Membership, School

from .models import MaintenanceNotice
from .selectors import due_and_overdue


@shared_task
def notify_maintenance_due(today_iso: str | None = None) -> int:
    """E-mail each school's coordinators about items falling due within MAINTENANCE_NOTICE_DAYS
    (or overdue) that they have not been told about yet. Returns the number of duties noticed."""
    import datetime as dt

    today = dt.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    noticed = 0
    for school in School.objects.all().order_by("pk"):
        duties = [
            d
            for d in due_and_overdue([school.pk], today=today)
            if d.due_on is not None or d.hours_left is not None
        ]
        fresh = []
        with transaction.atomic():
            for duty in duties:
                due_on = duty.due_on or today
                try:
                    with transaction.atomic():
                        MaintenanceNotice.objects.create(
                            equipment=duty.equipment, kind=duty.kind, due_on=due_on
                        )
                except IntegrityError:
                    continue  # told already
                fresh.append(duty)
            if not fresh:
                continue
            recipients = sorted(
                set(
                    Membership.objects.filter(
                        school=school, role=Membership.Role.COORDINATOR, user__is_active=True
                    ).values_list("user__email", flat=True)
                )
            )
            if recipients:
                context = {"school": school, "duties": fresh, "site_url": settings.SITE_URL}
                body = render_to_string("workshops/emails/maintenance_due.txt", context)
                subject = render_to_string("workshops/emails/maintenance_due_subject.txt", context)
                transaction.on_commit(
                    lambda s=subject, b=body, r=recipients: send_mail(
                        " ".join(s.split()), b, None, r
                    )
                )
            noticed += len(fresh)
    return noticed
