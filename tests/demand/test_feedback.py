"""Feedback: one answer per participant and run, nothing stored that links an answer to its
person, results only from five answers on, invitations once after completion."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from core.errors import PermissionDenied
from courses.models import CourseRun, Enrolment
from demand.errors import AlreadyAnswered, FeedbackClosed
from demand.models import (
    FIXED_QUESTIONS,
    FeedbackExtraScore,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackReceipt,
    FeedbackResponse,
)
from demand.selectors.feedback import feedback_results
from demand.services.feedback import (
    feedback_invite_due,
    feedback_question_add,
    feedback_submit,
)
from tests.factories import CourseRunFactory, EnrolmentFactory, coordinator, trainee

pytestmark = pytest.mark.django_db

ALL_FOURS = {name: 4 for name, _label in FIXED_QUESTIONS}


def completed_run(participants: int = 6):
    now = timezone.now()
    run = CourseRunFactory(
        status=CourseRun.Status.COMPLETED,
        starts_at=now - dt.timedelta(days=3),
        ends_at=now - dt.timedelta(days=2),
        booking_opens_at=now - dt.timedelta(days=30),
        booking_closes_at=now - dt.timedelta(days=4),
        cancellation_deadline=now - dt.timedelta(days=5),
    )
    enrolments = [
        EnrolmentFactory(run=run, status=Enrolment.Status.COMPLETED) for _ in range(participants)
    ]
    return run, enrolments


def answer(enrolment, score=4, comment="", extra=None):
    scores = {name: score for name, _label in FIXED_QUESTIONS}
    return feedback_submit(
        enrolment=enrolment,
        actor=enrolment.participant,
        scores=scores,
        extra_scores=extra,
        comment=comment,
    )


def test_one_answer_per_participant_and_run():
    run, (enrolment, *_rest) = completed_run()
    answer(enrolment)
    with pytest.raises(AlreadyAnswered):
        answer(enrolment)
    assert FeedbackResponse.objects.filter(run=run).count() == 1


def test_only_the_participant_of_a_completed_run_answers():
    run, (enrolment, *_rest) = completed_run()
    with pytest.raises(PermissionDenied):
        feedback_submit(enrolment=enrolment, actor=trainee(), scores=ALL_FOURS)
    open_run = CourseRunFactory()
    booked = EnrolmentFactory(run=open_run)
    with pytest.raises(FeedbackClosed):
        feedback_submit(enrolment=booked, actor=booked.participant, scores=ALL_FOURS)
    cancelled = EnrolmentFactory(run=run, status=Enrolment.Status.CANCELLED)
    with pytest.raises(FeedbackClosed):
        feedback_submit(enrolment=cancelled, actor=cancelled.participant, scores=ALL_FOURS)


def test_nothing_stored_with_an_answer_points_to_its_person():
    """The response and its extra scores hold the run, the values and the text: no enrolment, no
    person, no time, and keys that are random rather than sequential."""
    run, enrolments = completed_run()
    question = feedback_question_add(
        course=run.course, actor=coordinator(run.school), text_de="War der Raum hell genug?"
    )
    answer(enrolments[0], comment="Gut erklärt.", extra={question.pk: 5})
    for model in (FeedbackResponse, FeedbackExtraScore):
        columns = {f.column for f in model._meta.concrete_fields}
        assert not {c for c in columns if "enrol" in c or "user" in c or "participant" in c}
        assert not any(
            f.get_internal_type() in ("DateTimeField", "DateField")
            for f in model._meta.concrete_fields
        )
        assert model._meta.pk.get_internal_type() == "UUIDField"
    receipt_columns = {f.column for f in FeedbackReceipt._meta.concrete_fields}
    assert receipt_columns == {"id", "enrolment_id"}
    # And the tables really look like that (no column added by a migration behind our back).
    with connection.cursor() as cursor:
        table = connection.introspection.get_table_description(
            cursor, FeedbackResponse._meta.db_table
        )
    assert {c.name for c in table} == {
        "id",
        "run_id",
        "comment",
        *(name for name, _label in FIXED_QUESTIONS),
    }


def test_results_appear_only_from_five_answers_on():
    run, enrolments = completed_run(participants=6)
    runs = CourseRun.objects.filter(pk=run.pk)
    for index, enrolment in enumerate(enrolments[:4]):
        answer(enrolment, score=index + 1, comment=f"Kommentar {index}")
    hidden = feedback_results(runs)
    assert hidden.answers == 4
    assert not hidden.shown
    assert hidden.questions == [] and hidden.comments == []
    answer(enrolments[4], score=5, comment="")
    shown = feedback_results(runs)
    assert shown.shown
    assert shown.questions[0].average == 3.0  # (1 + 2 + 3 + 4 + 5) / 5
    assert shown.questions[0].distribution == (1, 1, 1, 1, 1)
    assert sorted(shown.comments) == [f"Kommentar {i}" for i in range(4)]


def test_an_extra_question_is_shown_only_from_five_answers_to_it():
    run, enrolments = completed_run(participants=7)
    runs = CourseRun.objects.filter(pk=run.pk)
    for enrolment in enrolments[:3]:
        answer(enrolment)
    question = feedback_question_add(
        course=run.course, actor=coordinator(run.school), text_de="Würden Sie wiederkommen?"
    )
    for enrolment in enrolments[3:7]:
        answer(enrolment, extra={question.pk: 5})
    results = feedback_results(runs)
    assert results.shown  # seven answers in all
    extra = [q for q in results.questions if q.label == "Würden Sie wiederkommen?"]
    assert extra and extra[0].answers == 4 and not extra[0].shown


def test_every_active_extra_question_must_be_answered():
    run, (enrolment, *_rest) = completed_run()
    question = feedback_question_add(
        course=run.course, actor=coordinator(run.school), text_de="Passte das Tempo?"
    )
    from core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        answer(enrolment)
    answer(enrolment, extra={question.pk: 3})
    assert FeedbackQuestion.objects.get(pk=question.pk).scores.count() == 1


def test_participants_of_completed_runs_are_invited_once(django_capture_on_commit_callbacks):
    run, enrolments = completed_run(participants=2)
    EnrolmentFactory(run=run, status=Enrolment.Status.NO_SHOW)
    answer(enrolments[1])  # already answered: no invitation needed
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_invite_due() == 1
    assert [m.to for m in mail.outbox] == [[enrolments[0].participant.email]]
    assert f"/my/feedback/{run.pk}/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_invite_due() == 0
    assert FeedbackInvitation.objects.get().sent_at is not None
    assert len(mail.outbox) == 1
