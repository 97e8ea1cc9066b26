"""Receivers: webhooks from committed domain events; tombstones for deleted businesses/trainees."""

import logging

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from core.events import event_committed
from core.models import DomainEvent
from people.models import Business, TraineeProfile

from .services.deliveries import create_deliveries
from .services.tombstones import record_tombstone

logger = logging.getLogger(__name__)


@receiver(event_committed, sender=DomainEvent, dispatch_uid="api.signals.on_event_committed")
def on_event_committed(sender, event, **kwargs):
    # Runs after the change committed: a failure here must not turn a done booking into an
    # error page. The beat task creates what was missed from the outbox
    # (`create_missing_deliveries`).
    try:
        create_deliveries(event=event)
    except Exception:  # noqa: BLE001
        logger.exception("webhook deliveries for event %s not created; beat will retry", event.pk)


@receiver(post_delete, sender=Business, dispatch_uid="api.tombstone.business")
def business_deleted(sender, instance, **kwargs):
    if instance.chamber_id:
        record_tombstone(
            resource="businesses", object_id=instance.pk, chamber_id=instance.chamber_id
        )


@receiver(pre_delete, sender=Business, dispatch_uid="api.tombstone.business_trainees")
def business_trainees_leave(sender, instance, **kwargs):
    """Trainees of a deleted business lose their employer and so leave the chamber's view."""
    if instance.chamber_id:
        for pk in TraineeProfile.objects.filter(business=instance).values_list("pk", flat=True):
            record_tombstone(resource="trainees", object_id=pk, chamber_id=instance.chamber_id)


@receiver(post_delete, sender=TraineeProfile, dispatch_uid="api.tombstone.trainee")
def trainee_deleted(sender, instance, **kwargs):
    chamber_id = (
        Business.objects.filter(pk=instance.business_id)
        .values_list("chamber_id", flat=True)
        .first()
        if instance.business_id
        else None
    )
    if chamber_id:
        record_tombstone(resource="trainees", object_id=instance.pk, chamber_id=chamber_id)
