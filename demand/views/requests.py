"""Course requests: a business contact asks and follows up; the coordinator lists, answers and
plans a run from one (views/planning.py)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import access
from core.errors import DomainError
from core.validators import parse_id
from courses.models import Course
from people.roles import managed_school_ids, roles_of

from ..forms import AnswerForm, CourseRequestForm
from ..models import CourseRequest
from ..selectors.requests import requests_for_staff, requests_of_my_businesses
from ..services.requests import request_answer, request_create

REQUESTS = CourseRequest.objects.select_related(
    "business", "topic", "course__school", "school", "run", "requested_by", "answered_by"
)


@access("demand.request_course")
def business_requests(request):
    return render(
        request,
        "demand/business_requests.html",
        {"requests": list(requests_of_my_businesses(request.user))},
    )


@access("demand.request_course")
def request_new(request):
    business_ids = sorted(roles_of(request.user).business_ids)
    initial = {}
    course_id = parse_id(request.GET.get("course"))
    if course_id is not None:
        course = Course.objects.filter(pk=course_id, is_active=True).first()
        if course is not None:
            initial = {"course": course, "topic": course.topic_id, "title": course.title}
    form = CourseRequestForm(request.POST or None, business_ids=business_ids, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            request_create(
                actor=request.user,
                business=data["business"],
                topic=data["topic"],
                title=data["title"],
                message=data.get("message", ""),
                participants=data["participants"],
                preferred_months=list(data.get("preferred_months") or []),
                course=data.get("course"),
                school=data.get("school"),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, _("Ihre Anfrage ist eingegangen. Die Koordination meldet sich bei Ihnen.")
            )
            return redirect("demand:business_requests")
    return render(request, "demand/request_form.html", {"form": form})


@access("demand.view_board")
def staff_requests(request):
    status = request.GET.get("status", "")
    if status not in CourseRequest.Status.values:
        status = ""
    return render(
        request,
        "demand/staff_requests.html",
        {
            "requests": list(requests_for_staff(request.user, status=status or None)),
            "status": status,
            "statuses": CourseRequest.Status.choices,
        },
    )


@access("demand.view_request", model=REQUESTS, private=True)
def request_detail(request, obj: CourseRequest):
    may_answer = request.user.has_perm("demand.answer_request", obj)
    form = AnswerForm(request.POST or None, initial={"answer": obj.answer}) if may_answer else None
    if request.method == "POST":
        if form is None:
            return redirect(obj)
        if form.is_valid():
            try:
                request_answer(
                    course_request=obj,
                    actor=request.user,
                    answer=form.cleaned_data["answer"],
                    status=form.cleaned_data["status"],
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, _("Die Antwort wurde gespeichert und verschickt."))
                return redirect(obj)
    courses = []
    if may_answer:
        courses = list(
            Course.objects.filter(
                school_id__in=managed_school_ids(request.user),
                topic_id=obj.topic_id,
                is_active=True,
            )
            .select_related("school")
            .order_by("title")
        )
    return render(
        request,
        "demand/request_detail.html",
        {"course_request": obj, "form": form, "may_answer": may_answer, "courses": courses},
    )
