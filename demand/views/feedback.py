"""Feedback: the form for participants of a completed run, and the results for coordinators per
run, course (with its extra questions) and instructor, shown only from five answers on."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import access
from core.errors import DomainError
from courses.models import Course, CourseRun, Enrolment
from people.models import User
from people.roles import managed_school_ids

from ..errors import AlreadyAnswered
from ..forms import FeedbackForm, QuestionForm
from ..models import ELIGIBLE_STATUSES, FeedbackQuestion
from ..selectors.feedback import eligible_count, feedback_results
from ..services.feedback import (
    check_can_answer,
    feedback_question_add,
    feedback_question_retire,
    feedback_submit,
)


def _my_enrolments(request):
    return Enrolment.objects.filter(
        participant=request.user, status__in=ELIGIBLE_STATUSES
    ).select_related("run__course", "run__school")


@access(
    "demand.give_feedback", model=_my_enrolments, url_kwarg="run_id", field="run_id", private=True
)
def feedback_form(request, obj: Enrolment):
    enrolment = obj
    try:
        check_can_answer(enrolment=enrolment, actor=request.user)
    except AlreadyAnswered:
        return render(request, "demand/feedback_thanks.html", {"run": enrolment.run})
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("courses:my")
    questions = list(
        FeedbackQuestion.objects.filter(course_id=enrolment.run.course_id, is_active=True)
    )
    form = FeedbackForm(request.POST or None, questions=questions, language=get_language() or "de")
    if request.method == "POST" and form.is_valid():
        try:
            feedback_submit(
                enrolment=enrolment,
                actor=request.user,
                scores=form.scores(),
                extra_scores=form.extra_scores(),
                comment=form.cleaned_data.get("comment", ""),
            )
        except AlreadyAnswered:
            return render(request, "demand/feedback_thanks.html", {"run": enrolment.run})
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return render(request, "demand/feedback_thanks.html", {"run": enrolment.run})
    return render(request, "demand/feedback_form.html", {"run": enrolment.run, "form": form})


RUNS = CourseRun.objects.select_related("course", "school", "instructor")


@access("demand.view_feedback", model=RUNS, url_kwarg="run_id")
def run_results(request, obj: CourseRun):
    runs = CourseRun.objects.filter(pk=obj.pk)
    return _results(request, title=str(obj), runs=runs, run=obj)


@access(
    "demand.view_feedback", model=Course.objects.select_related("school"), url_kwarg="course_id"
)
def course_results(request, obj: Course):
    form = QuestionForm()
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                feedback_question_add(course=obj, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, _("Die Frage wird ab jetzt gestellt."))
                return redirect("demand:feedback_course", course_id=obj.pk)
    runs = CourseRun.objects.filter(course=obj)
    questions = list(FeedbackQuestion.objects.filter(course=obj, is_active=True))
    return _results(
        request, title=obj.title, runs=runs, course=obj, question_form=form, questions=questions
    )


@access("demand.view_board")
def instructor_results(request, user_id: int):
    instructor = get_object_or_404(User, pk=user_id)
    runs = CourseRun.objects.filter(
        instructor=instructor, school_id__in=managed_school_ids(request.user)
    )
    if not runs.exists():
        raise Http404
    return _results(request, title=str(instructor), runs=runs, instructor=instructor)


@require_POST
@access("demand.manage_feedback_questions", model=Course, url_kwarg="course_id")
def question_retire(request, obj: Course, question_id: int):
    question = get_object_or_404(FeedbackQuestion, pk=question_id, course=obj)
    try:
        feedback_question_retire(question=question, actor=request.user)
    except DomainError as error:
        raise PermissionDenied(error.message) from error
    messages.success(request, _("Die Frage wird nicht mehr gestellt."))
    return redirect("demand:feedback_course", course_id=obj.pk)


def _results(request, *, title: str, runs, **context):
    return render(
        request,
        "demand/feedback_results.html",
        {
            "title": title,
            "results": feedback_results(runs),
            "eligible": eligible_count(runs),
            **context,
        },
    )
