"""Courses of the coordinator's schools: list, create, edit."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import access
from core.errors import DomainError
from people.models import School
from people.roles import managed_school_ids

from ...forms.staff import CourseForm
from ...models import Course
from ...services import planning


def _course_values(data: dict) -> dict:
    values = dict(data)
    values.pop("school", None)
    return values


@access("courses.plan_courses")
def course_list(request):
    courses = (
        Course.objects.filter(school_id__in=managed_school_ids(request.user))
        .select_related("topic", "school")
        .annotate(run_count=Count("runs"))
        .order_by("title")
    )
    query = request.GET.get("q", "").strip()
    if query:
        courses = courses.filter(Q(title__icontains=query) | Q(topic__name__icontains=query))
    page = Paginator(courses, 50).get_page(request.GET.get("page"))
    return render(request, "staff/course_list.html", {"page": page, "q": query})


@access("courses.plan_courses")
def course_create(request):
    # Only the user's own schools are choices, so the chosen one is theirs to manage.
    schools = School.objects.filter(pk__in=managed_school_ids(request.user))
    form = CourseForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            course = planning.create_course(
                school=form.cleaned_data["school"],
                actor=request.user,
                **_course_values(form.cleaned_data),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Der Kurs wurde angelegt."))
            return redirect("courses:staff_run_create_for", course_id=course.pk)
    return render(request, "staff/course_form.html", {"form": form, "course": None})


@access("courses.manage_course", model=Course)
def course_edit(request, obj):
    course = obj
    schools = School.objects.filter(pk=course.school_id)
    form = CourseForm(request.POST or None, schools=schools, initial=CourseForm.initial_for(course))
    form.fields["school"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            planning.update_course(
                course=course, actor=request.user, **_course_values(form.cleaned_data)
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Der Kurs wurde gespeichert."))
            return redirect("courses:staff_course_list")
    return render(request, "staff/course_form.html", {"form": form, "course": course})
