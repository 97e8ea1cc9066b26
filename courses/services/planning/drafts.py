"""Deleting a draft run: a plan nobody has seen. A run that was ever booked (even a cancelled
booking) keeps its history; it is withdrawn (unpublish) or cancelled instead."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit
from people.models import User
from workshops.models import EquipmentReservation

from ...errors import InvalidRunTransition
from ...models import CourseRun


def check_run_deletable(run: CourseRun) -> None:
    if run.status != CourseRun.Status.DRAFT:
        raise InvalidRunTransition(
            _(
                "Nur Entwürfe können gelöscht werden (Status: %(status)s); "
                "ein veröffentlichter Kurs wird zurückgezogen oder abgesagt."
            )
            % {"status": run.get_status_display()}
        )
    if run.enrolments.exists():
        raise InvalidRunTransition(
            _("Für diesen Kurs gab es schon Anmeldungen; bitte absagen statt löschen.")
        )


@transaction.atomic
def delete_draft_run(*, run: CourseRun, actor: User | None) -> None:
    """Delete a draft run that was never published nor booked, with its sessions and the
    equipment reservations they held (a workshops row, so released here, not by cascade). The
    audit row keeps what was deleted."""
    run = CourseRun.objects.select_for_update().select_related("course").get(pk=run.pk)
    check_run_deletable(run)
    sessions = list(run.sessions.values_list("pk", flat=True))
    released, _counts = EquipmentReservation.objects.filter(
        session_link__session_id__in=sessions
    ).delete()
    audit(
        actor=actor,
        action="run.deleted",
        obj=run,
        course=run.course_id,
        title=str(run.course.title),
        sessions=len(sessions),
        reservations=released,
    )
    run.delete()
