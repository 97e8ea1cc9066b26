"""Interest: the "Benachrichtigen" form for a course, and "my interests" (see, renew, withdraw)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import access
from core.errors import DomainError
from core.formatting import local_date
from courses.models import Course
from people.roles import roles_of

from ..forms import InterestForm
from ..models import Interest
from ..selectors.interest import my_interests, open_interest
from ..services.interest import interest_register, interest_renew, interest_withdraw

ACTIVE_COURSES = Course.objects.filter(is_active=True).select_related("school", "topic")


@access("demand.register_interest", model=ACTIVE_COURSES, url_kwarg="course_id")
def interest_form(request, obj: Course):
    course = obj
    existing = open_interest(request.user, course)
    business_ids = sorted(roles_of(request.user).business_ids)
    initial = {}
    if existing is not None:
        initial = {
            "participants": existing.participants,
            "preferred_start": existing.preferred_start,
            "preferred_end": existing.preferred_end,
            "for_business": existing.business_id,
        }
    form = InterestForm(request.POST or None, business_ids=business_ids, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interest_register(
                user=request.user,
                course=course,
                participants=data["participants"],
                preferred_start=data.get("preferred_start"),
                preferred_end=data.get("preferred_end"),
                business=data.get("for_business"),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _("Wir benachrichtigen Sie, sobald es einen neuen Termin für „%(course)s“ gibt.")
                % {"course": course.title},
            )
            return redirect("demand:my_interests")
    return render(
        request,
        "demand/interest_form.html",
        {"course": course, "form": form, "existing": existing},
    )


@access("demand.register_interest")
def my_interest_list(request):
    now = timezone.now()
    interests = list(my_interests(request.user))
    for interest in interests:
        interest.current_status = interest.status(now)
        interest.current_status_label = Interest.Status(interest.current_status).label
    return render(request, "demand/my_interests.html", {"interests": interests})


@require_POST
@access("demand.manage_interest", model=Interest, private=True)
def renew(request, obj: Interest):
    try:
        interest = interest_renew(interest=obj, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Ihr Interesse an „%(course)s“ gilt jetzt bis %(date)s.")
            % {"course": interest.course.title, "date": local_date(interest.expires_at)},
        )
    return redirect("demand:my_interests")


@require_POST
@access("demand.manage_interest", model=Interest, private=True)
def withdraw(request, obj: Interest):
    try:
        interest = interest_withdraw(interest=obj, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Sie erhalten keine Nachrichten mehr zu „%(course)s“.")
            % {"course": interest.course.title},
        )
    return redirect("demand:my_interests")
