"""Receivers: webhooks from committed domain events; tombstones for deleted businesses/trainees."""

import logging

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from core.events import event_committed
from core.models import DomainEvent
from courses.models import CourseRun
from courses.signals import run_withdrawn
from people.models import Business, TraineeProfile, User

from .models import WebhookEndpoint
from .selectors import forget_webhook_chambers
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


@receiver(post_save, sender=WebhookEndpoint, dispatch_uid="api.webhook_chambers.saved")
@receiver(post_delete, sender=WebhookEndpoint, dispatch_uid="api.webhook_chambers.deleted")
def webhook_endpoint_changed(sender, **kwargs):
    forget_webhook_chambers()


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


@receiver(run_withdrawn, sender=CourseRun, dispatch_uid="api.tombstone.run_withdrawn")
def run_withdrawn_from_view(sender, run, **kwargs):
    # Runs are the same for every chamber: a tombstone without chamber reaches all of them.
    record_tombstone(resource="runs", object_id=run.pk, chamber_id=None)


@receiver(post_delete, sender=CourseRun, dispatch_uid="api.tombstone.run_deleted")
def run_deleted(sender, instance, **kwargs):
    if instance.status in CourseRun.Status.PUBLIC:
        record_tombstone(resource="runs", object_id=instance.pk, chamber_id=None)


def _chamber_of_business(business_id: int | None) -> int | None:
    if business_id is None:
        return None
    return Business.objects.filter(pk=business_id).values_list("chamber_id", flat=True).first()


@receiver(pre_save, sender=TraineeProfile, dispatch_uid="api.tombstone.trainee_moves")
def trainee_moves(sender, instance, raw=False, update_fields=None, **kwargs):
    """A trainee whose employer changes to another chamber's business (or none) leaves the old
    chamber's view."""
    if raw or instance.pk is None or (update_fields and "business" not in update_fields):
        return
    old_business = (
        TraineeProfile.objects.filter(pk=instance.pk).values_list("business_id", flat=True).first()
    )
    if old_business == instance.business_id:
        return
    old_chamber = _chamber_of_business(old_business)
    if old_chamber and old_chamber != _chamber_of_business(instance.business_id):
        record_tombstone(resource="trainees", object_id=instance.pk, chamber_id=old_chamber)


@receiver(pre_save, sender=User, dispatch_uid="api.tombstone.trainee_deactivated")
def trainee_account_deactivated(sender, instance, raw=False, update_fields=None, **kwargs):
    """A deactivated account leaves its chamber's trainee list; reactivated, it comes back (its
    profile is stamped changed so that a sync picks it up again)."""
    if raw or instance.pk is None or (update_fields and "is_active" not in update_fields):
        return
    was_active = User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    if was_active is None or was_active == instance.is_active:
        return
    profile = TraineeProfile.objects.filter(user_id=instance.pk).values("pk", "business_id").first()
    if profile is None:
        return
    chamber_id = _chamber_of_business(profile["business_id"])
    if not chamber_id:
        return
    if not instance.is_active:
        record_tombstone(resource="trainees", object_id=profile["pk"], chamber_id=chamber_id)
    else:
        instance._touch_trainee_profile = profile["pk"]


@receiver(post_save, sender=User, dispatch_uid="api.tombstone.trainee_reactivated")
def trainee_account_reactivated(sender, instance, **kwargs):
    pk = instance.__dict__.pop("_touch_trainee_profile", None)
    if pk is not None:
        from django.utils import timezone

        TraineeProfile.objects.filter(pk=pk).update(updated_at=timezone.now())
