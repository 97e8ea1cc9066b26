"""Feedback after a run: a few fixed questions on a 1–5 scale, optional extra questions per course,
and free text.

Anonymity by construction: a `FeedbackResponse` names only the run. Who has answered is a separate
`FeedbackReceipt` per enrolment (that is what makes "one answer per participant and run" hold).
Neither row carries a time, and the response's key is random, so no page, export or API can join
them, not even by order or timestamp. Results are shown only from MIN_ANSWERS answers on."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.validators import plausible_date, single_line
from courses.models import Course, CourseRun, Enrolment

MIN_ANSWERS = 5
# Who may answer: they took part to the end (completed) or most of it (not completed).
ELIGIBLE_STATUSES = (Enrolment.Status.COMPLETED, Enrolment.Status.NOT_COMPLETED)

# (field on FeedbackResponse, question) in the order the form asks them.
FIXED_QUESTIONS = (
    ("score_content", _("Die Inhalte waren für meine Arbeit nützlich.")),
    ("score_instructor", _("Die Ausbilderin / der Ausbilder hat verständlich erklärt.")),
    ("score_equipment", _("Geräte und Material haben funktioniert und reichten aus.")),
    ("score_organisation", _("Organisation, Termine und Raum passten.")),
    ("score_overall", _("Ich würde den Kurs weiterempfehlen.")),
)


def _score(label):
    return models.PositiveSmallIntegerField(label)


def _range(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}), name=f"feedback_{field}_1_to_5"
    )


class FeedbackQuestion(models.Model):
    """An extra question a coordinator adds for one course (1–5 scale, in both languages)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="feedback_questions")
    text_de = models.CharField(_("Frage (Deutsch)"), max_length=200, validators=[single_line])
    text_en = models.CharField(
        _("Frage (Englisch)"), max_length=200, blank=True, validators=[single_line]
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["course", "position", "id"]
        verbose_name = _("Zusatzfrage")
        verbose_name_plural = _("Zusatzfragen")

    def __str__(self):
        return self.text_de

    def text(self, language: str) -> str:
        return self.text_en if language.startswith("en") and self.text_en else self.text_de


class FeedbackInvitation(models.Model):
    """A participant of a completed run was invited (the e-mail goes out once)."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="feedback_invitation"
    )
    sent_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])

    class Meta:
        verbose_name = _("Einladung zur Rückmeldung")
        verbose_name_plural = _("Einladungen zur Rückmeldung")

    def __str__(self):
        return f"{self.enrolment_id}"


class FeedbackReceipt(models.Model):
    """This enrolment has answered. Deliberately no time and no link to the response."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="feedback_receipt"
    )

    class Meta:
        verbose_name = _("Rückmeldung abgegeben")
        verbose_name_plural = _("Rückmeldungen abgegeben")

    def __str__(self):
        return f"{self.enrolment_id}"


class FeedbackResponse(models.Model):
    """One participant's answers, linked to the run only (random key, no time)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="feedback_responses")
    score_content = _score(FIXED_QUESTIONS[0][1])
    score_instructor = _score(FIXED_QUESTIONS[1][1])
    score_equipment = _score(FIXED_QUESTIONS[2][1])
    score_organisation = _score(FIXED_QUESTIONS[3][1])
    score_overall = _score(FIXED_QUESTIONS[4][1])
    comment = models.TextField(_("Was möchten Sie uns noch sagen?"), blank=True)

    class Meta:
        ordering = ["id"]  # random: says nothing about who answered when
        verbose_name = _("Rückmeldung")
        verbose_name_plural = _("Rückmeldungen")
        constraints = [_range(field) for field, _label in FIXED_QUESTIONS]

    def __str__(self):
        return f"{self.run_id}"


class FeedbackExtraScore(models.Model):
    """Random key as well: sequential ids here would give away the order of the responses."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        FeedbackResponse, on_delete=models.CASCADE, related_name="extra_scores"
    )
    question = models.ForeignKey(FeedbackQuestion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("Antwort auf Zusatzfrage")
        verbose_name_plural = _("Antworten auf Zusatzfragen")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="extra_score_once"),
            models.CheckConstraint(
                condition=Q(value__gte=1, value__lte=5), name="extra_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.question_id}: {self.value}"
