"""demand listens to courses (courses/signals.py) and never the other way round: a published run
tells the interested, and the booking service asks whether someone may book in the priority
window before the public opening."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from courses.models import CourseRun
from courses.signals import demo_seeded, early_booking, personal_data_requested, run_published
from people.models import User

from . import demo
from .models import Interest
from .selectors.interest import has_priority
from .selectors.privacy import personal_data
from .services.interest import interests_notify_for_run


@receiver(run_published, sender=CourseRun, dispatch_uid="demand.notify_on_publish")
def run_was_published(sender, run: CourseRun, now=None, **kwargs) -> None:
    # Inside the publishing transaction: the notifications and their e-mails (outbox) commit
    # with the publication or not at all.
    interests_notify_for_run(run_id=run.pk, now=now)


@receiver(early_booking, sender=CourseRun, dispatch_uid="demand.priority_window")
def priority_booking(sender, run: CourseRun, participant, booked_by, now, **kwargs) -> bool:
    return has_priority(run=run, participant=participant, booked_by=booked_by, now=now)


@receiver(post_save, sender=User, dispatch_uid="demand.forget_deleted_accounts")
def account_saved(sender, instance: User, created, raw=False, **kwargs) -> None:
    """A deleted account is anonymised, not removed (courses.services.privacy): its interests go,
    since nobody is left to tell."""
    if not raw and not created and instance.anonymised_at is not None:
        Interest.objects.filter(user=instance).delete()


@receiver(personal_data_requested, sender=User, dispatch_uid="demand.personal_data")
def export_personal_data(sender, user: User, **kwargs) -> dict:
    return personal_data(user)


@receiver(demo_seeded, dispatch_uid="demand.demo_data")
def add_demo_data(sender, rng, now, **kwargs) -> None:
    demo.seed(rng=rng, now=now)
