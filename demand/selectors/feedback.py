"""Feedback results for coordinators: per run, per course, per instructor. Nothing is shown below
MIN_ANSWERS answers (per question too); free text comes in the random order of the responses'
keys, without names. Three queries, however many answers."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import get_language

from courses.models import CourseRun, Enrolment

from ..models import (
    ELIGIBLE_STATUSES,
    FIXED_QUESTIONS,
    MIN_ANSWERS,
    FeedbackExtraScore,
    FeedbackResponse,
)

SCALE = range(1, 6)


@dataclass(frozen=True)
class QuestionResult:
    label: str
    answers: int
    average: float | None  # None: fewer than MIN_ANSWERS answers, not shown
    distribution: tuple[int, ...] = ()  # answers per value 1..5

    @property
    def shown(self) -> bool:
        return self.average is not None

    @property
    def percent(self) -> int:
        return round((self.average - 1) / 4 * 100) if self.average is not None else 0


@dataclass(frozen=True)
class FeedbackResults:
    answers: int
    questions: list[QuestionResult] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    minimum: int = MIN_ANSWERS

    @property
    def shown(self) -> bool:
        return self.answers >= self.minimum


def _per_value(prefix: str, column: str) -> dict:
    return {f"{prefix}_{v}": Count("pk", filter=Q(**{column: v})) for v in SCALE}


def feedback_results(runs: QuerySet[CourseRun]) -> FeedbackResults:
    """The results of the given runs together (one run, a course's runs, an instructor's)."""
    responses = FeedbackResponse.objects.filter(run__in=runs)
    aggregates = {"n": Count("pk")}
    for name, _label in FIXED_QUESTIONS:
        aggregates[f"{name}_avg"] = Avg(name)
        aggregates.update(_per_value(name, name))
    totals = responses.aggregate(**aggregates)
    answers = totals["n"]
    if answers < MIN_ANSWERS:
        return FeedbackResults(answers=answers)
    questions = [
        QuestionResult(
            label=str(label),
            answers=answers,
            average=round(totals[f"{name}_avg"], 1),
            distribution=tuple(totals[f"{name}_{v}"] for v in SCALE),
        )
        for name, label in FIXED_QUESTIONS
    ]
    english = (get_language() or "de").startswith("en")
    extra = (
        FeedbackExtraScore.objects.filter(response__run__in=runs)
        .values("question_id", "question__text_de", "question__text_en", "question__position")
        .annotate(n=Count("pk"), avg=Avg("value"), **_per_value("v", "value"))
        .order_by("question__position", "question_id")
    )
    for row in extra:
        label = (english and row["question__text_en"]) or row["question__text_de"]
        enough = row["n"] >= MIN_ANSWERS
        questions.append(
            QuestionResult(
                label=label,
                answers=row["n"],
                average=round(row["avg"], 1) if enough else None,
                distribution=tuple(row[f"v_{v}"] for v in SCALE) if enough else (),
            )
        )
    comments = list(responses.exclude(comment="").order_by("pk").values_list("comment", flat=True))
    return FeedbackResults(answers=answers, questions=questions, comments=comments)


def eligible_count(runs: QuerySet[CourseRun]) -> int:
    """How many participants of the runs could answer (a count, no names)."""
    return Enrolment.objects.filter(run__in=runs, status__in=ELIGIBLE_STATUSES).count()
