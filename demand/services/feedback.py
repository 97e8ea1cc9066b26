"""Feedback: invite the participants of completed runs, take one answer per participant and run,
and let coordinators add questions per course.

Anonymity: `feedback_submit` writes a receipt for the enrolment and a response for the run in one
transaction; the two rows share nothing but the run, carry no time, and the response's key is
random. Nothing here writes an audit row naming the person who answered (the receipt is the
record that they did)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput, PermissionDenied
from core.services.outbox import enqueue_email
from courses.models import Course, CourseRun, Enrolment

from ..emails import feedback_invitation_email
from ..errors import AlreadyAnswered, FeedbackClosed
from ..models import (
    ELIGIBLE_STATUSES,
    FIXED_QUESTIONS,
    FeedbackExtraScore,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackReceipt,
    FeedbackResponse,
)

INVITE_WITHIN_DAYS = 30  # runs that ended longer ago are not invited any more
MAX_COMMENT = 4000


def check_can_answer(*, enrolment: Enrolment, actor) -> None:
    """The actor is the participant of a completed run who has not answered yet."""
    if enrolment.participant_id is None or enrolment.participant_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Diese Rückmeldung ist nicht für Sie."))
    if (
        enrolment.run.status != CourseRun.Status.COMPLETED
        or enrolment.status not in ELIGIBLE_STATUSES
    ):
        raise FeedbackClosed(_("Für diesen Kurs ist keine Rückmeldung möglich."))
    if FeedbackReceipt.objects.filter(enrolment=enrolment).exists():
        raise AlreadyAnswered(_("Sie haben zu diesem Kurs schon eine Rückmeldung gegeben."))


def _check_score(value, field: str) -> int:
    if not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput(_("Bitte einen Wert von 1 bis 5 wählen."), field=field)
    return value


def feedback_submit(
    *,
    enrolment: Enrolment,
    actor,
    scores: dict[str, int],
    extra_scores: dict[int, int] | None = None,
    comment: str = "",
) -> FeedbackResponse:
    """Store one participant's answers. `scores` maps each FIXED_QUESTIONS field to 1–5;
    `extra_scores` maps the ids of the course's active extra questions to 1–5 (all required).
    Raises AlreadyAnswered on a second answer (the receipt's unique key decides, also under a
    double click), FeedbackClosed when the run or enrolment does not qualify."""
    extra_scores = extra_scores or {}
    fixed = {field: _check_score(scores.get(field), field) for field, _label in FIXED_QUESTIONS}
    questions = {
        q.pk: q
        for q in FeedbackQuestion.objects.filter(course_id=enrolment.run.course_id, is_active=True)
    }
    if set(extra_scores) != set(questions):
        raise InvalidInput(_("Bitte beantworten Sie alle Fragen."), field="extra")
    extra = {pk: _check_score(value, f"extra_{pk}") for pk, value in extra_scores.items()}
    with transaction.atomic():
        check_can_answer(enrolment=enrolment, actor=actor)
        try:
            with transaction.atomic():
                FeedbackReceipt.objects.create(enrolment=enrolment)
        except IntegrityError as exc:
            raise AlreadyAnswered(
                _("Sie haben zu diesem Kurs schon eine Rückmeldung gegeben.")
            ) from exc
        response = FeedbackResponse.objects.create(
            run_id=enrolment.run_id, comment=comment.strip()[:MAX_COMMENT], **fixed
        )
        FeedbackExtraScore.objects.bulk_create(
            [
                FeedbackExtraScore(response=response, question_id=pk, value=value)
                for pk, value in sorted(extra.items())
            ]
        )
        return response


def feedback_invite_due(*, now: dt.datetime | None = None) -> int:
    """Participants of runs completed within INVITE_WITHIN_DAYS who were not invited yet get an
    invitation row and its e-mail in the outbox, in one transaction. Returns how many were
    invited."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=INVITE_WITHIN_DAYS)
    with transaction.atomic():
        ids = list(
            Enrolment.objects.filter(
                run__status=CourseRun.Status.COMPLETED,
                run__ends_at__gte=since,
                status__in=ELIGIBLE_STATUSES,
                participant__isnull=False,
                participant__is_active=True,
                feedback_invitation__isnull=True,
                feedback_receipt__isnull=True,
            ).values_list("pk", flat=True)
        )
        FeedbackInvitation.objects.bulk_create(
            [FeedbackInvitation(enrolment_id=pk) for pk in ids], ignore_conflicts=True
        )
        invitations = list(
            FeedbackInvitation.objects.filter(
                enrolment_id__in=ids, sent_at__isnull=True
            ).values_list("pk", flat=True)
        )
        for pk in invitations:
            feedback_invitation_send(invitation_id=pk, now=now)
    return len(invitations)


def feedback_invitation_send(*, invitation_id: int, now: dt.datetime | None = None) -> bool:
    """One invitation e-mail into the outbox, in the transaction that claims `sent_at`."""
    with transaction.atomic():
        claimed = FeedbackInvitation.objects.filter(pk=invitation_id, sent_at__isnull=True).update(
            sent_at=now or timezone.now()
        )
        if not claimed:
            return False
        invitation = FeedbackInvitation.objects.select_related(
            "enrolment__participant", "enrolment__run__course", "enrolment__run__school"
        ).get(pk=invitation_id)
        participant = invitation.enrolment.participant
        if participant is None or not participant.is_active or not participant.email:
            return False
        enqueue_email(feedback_invitation_email(invitation))
        return True


@transaction.atomic
def feedback_question_add(
    *, course: Course, actor, text_de: str, text_en: str = ""
) -> FeedbackQuestion:
    """An extra 1–5 question for the course's future feedback forms. Audit row."""
    if not actor.has_perm("demand.manage_feedback_questions", course):
        raise PermissionDenied(_("Sie dürfen die Fragen dieses Kurses nicht ändern."))
    if not text_de.strip():
        raise InvalidInput(_("Bitte die Frage auf Deutsch angeben."), field="text_de")
    position = FeedbackQuestion.objects.filter(course=course).count()
    question = FeedbackQuestion.objects.create(
        course=course, text_de=text_de.strip(), text_en=text_en.strip(), position=position
    )
    audit(actor=actor, action="feedback_question.added", obj=question, course=course.pk)
    return question


@transaction.atomic
def feedback_question_retire(*, question: FeedbackQuestion, actor) -> FeedbackQuestion:
    """The question is no longer asked; its answers so far stay in the results. Audit row."""
    if not actor.has_perm("demand.manage_feedback_questions", question.course):
        raise PermissionDenied(_("Sie dürfen die Fragen dieses Kurses nicht ändern."))
    question.is_active = False
    question.save(update_fields=["is_active"])
    audit(actor=actor, action="feedback_question.retired", obj=question)
    return question
