"""Seats can free up outside the booking service: a coordinator raises a run's capacity, a
workshop gets more seats, a repaired printer is back in service. Workshops may not import
courses, so courses listens here and moves the first waiting up right after that change commits
(the booking service then takes the run lock as for any promotion)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.freshness import note_unstamped_change
from core.handoff import delay_on_commit
from people.models import Employment
from people.signals import bookings_of_employment_requested
from workshops.models import Equipment, SafetyBriefing, Workshop

from .models import CourseRun, Enrolment
from .selectors import CATALOGUE_STAMPED, CATALOGUE_UNSTAMPED, business_bookings_ahead
from .selectors_resources import lacking_briefing


def _promote_after_commit(**kwargs) -> None:
    from .tasks.booking import promote_waiting_lists

    # Never fails the save: the beat task promotes every ten minutes anyway.
    delay_on_commit(promote_waiting_lists, **kwargs)


@receiver(post_save, sender=Equipment, dispatch_uid="courses.promote_on_equipment")
def equipment_saved(sender, instance: Equipment, created, raw=False, **kwargs):
    if raw or created or instance.workshop_id is None:
        return
    if instance.status == Equipment.Status.AVAILABLE:
        _promote_after_commit(workshop_id=instance.workshop_id)


@receiver(post_save, sender=Workshop, dispatch_uid="courses.promote_on_workshop")
def workshop_saved(sender, instance: Workshop, created, raw=False, **kwargs):
    if not raw and not created:
        _promote_after_commit(workshop_id=instance.pk)


@receiver(post_save, sender=CourseRun, dispatch_uid="courses.promote_on_run")
def run_saved(sender, instance: CourseRun, created, raw=False, **kwargs):
    if not raw and not created and instance.status == CourseRun.Status.PUBLISHED:
        _promote_after_commit(run_id=instance.pk)


@receiver(post_save, sender=SafetyBriefing, dispatch_uid="courses.briefing_given")
def briefing_saved(sender, instance: SafetyBriefing, created, raw=False, **kwargs):
    """A briefing recorded anywhere (in a session, at a loan, on the briefings page) clears the
    flag of the person's enrolments whose machines are now all covered."""
    if raw or not created:
        return
    flagged = Enrolment.objects.filter(
        participant_id=instance.person_id,
        briefing_needed=True,
        status__in=(*Enrolment.Status.ACTIVE, *Enrolment.Status.SEATED),
    ).select_related("run")
    done = [e.pk for e in flagged if not lacking_briefing(e.run, [instance.person_id])]
    if done:
        Enrolment.objects.filter(pk__in=done).update(briefing_needed=False)


@receiver(
    bookings_of_employment_requested,
    sender=Employment,
    dispatch_uid="courses.bookings_of_employment",
)
def _bookings_of_employment(sender, employment, **kwargs) -> list[dict]:
    return [
        {
            "title": enrolment.run.course.title,
            "starts_at": enrolment.run.starts_at,
            "status": enrolment.get_status_display(),
        }
        for enrolment in business_bookings_ahead(
            participant_id=employment.user_id, business_id=employment.business_id
        )
    ]


def _catalogue_changed(sender, raw=False, **kwargs) -> None:
    # A delete stamps nothing, nor does a save of a table without updated_at: the cached
    # catalogue and run list would not see them (core.freshness).
    if not raw:
        note_unstamped_change(sender)


for _model in (*CATALOGUE_STAMPED, *CATALOGUE_UNSTAMPED):
    post_delete.connect(_catalogue_changed, sender=_model, dispatch_uid=f"courses.gone.{_model}")
for _model in CATALOGUE_UNSTAMPED:
    post_save.connect(_catalogue_changed, sender=_model, dispatch_uid=f"courses.saved.{_model}")
