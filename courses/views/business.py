"""The business area: a contact of a craft business sees its employees and apprentices, all
their bookings, books several of them for a run in one step, cancels for them, and decides on
approvals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import access
from core.errors import DomainError
from core.tokens import token_digest
from core.validators import parse_id
from people.models import Business, Employment, TraineeProfile
from people.roles import roles_of

from ..forms.business import BusinessBookingForm
from ..models import Enrolment
from ..services import booking


def _business_for(request) -> Business:
    """The business asked for (?business=) among the user's own, else the first of them."""
    ids = roles_of(request.user).business_ids
    wanted = parse_id(request.GET.get("business") or request.POST.get("business"))
    if not ids:  # a superuser passes every permission check, yet represents no business
        raise PermissionDenied
    business_id = wanted if wanted in ids else min(ids)
    return Business.objects.get(pk=business_id)


def _render_home(request, business: Business, form: BusinessBookingForm, status=200):
    employees = (
        TraineeProfile.objects.filter(
            user__employments__business=business,
            user__employments__status=Employment.Status.CONFIRMED,
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    enrolments = (
        Enrolment.objects.filter(business=business)
        .select_related("run__course", "run__school", "participant")
        .order_by("-run__starts_at", "participant_name", "id")
    )
    page = Paginator(enrolments, 50).get_page(request.GET.get("page"))
    now = timezone.now()
    for e in page.object_list:
        e.can_cancel = booking.can_cancel(enrolment=e, actor=request.user, now=now)
    pending = (
        Enrolment.objects.filter(business=business, status=Enrolment.Status.PENDING)
        .select_related("run__course", "participant")
        .order_by("hold_until")
    )
    businesses = Business.objects.filter(pk__in=roles_of(request.user).business_ids)
    return render(
        request,
        "business/home.html",
        {
            "business": business,
            "businesses": businesses,
            "employees": employees,
            "page": page,
            "enrolments": page.object_list,
            "pending": pending,
            "form": form,
            "query": f"business={business.pk}",
        },
        status=status,
    )


@access("courses.access_business_area")
def business_home(request):
    business = _business_for(request)
    return _render_home(request, business, BusinessBookingForm(business=business))


@access("courses.access_business_area")
def business_book(request):
    business = _business_for(request)
    if request.method != "POST":
        return redirect("courses:business")
    form = BusinessBookingForm(request.POST, business=business)
    if not form.is_valid():
        return _render_home(request, business, form, status=422)
    try:
        enrolments = booking.book_many(
            run=form.cleaned_data["run"],
            participants=list(form.cleaned_data["participants"]),
            booked_by=request.user,
            business=business,
            requirements_confirmed=form.cleaned_data["requirements_confirmed"],
        )
    except DomainError as err:
        form.add_domain_error(err)
        return _render_home(request, business, form, status=409)
    confirmed = sum(e.status == Enrolment.Status.CONFIRMED for e in enrolments)
    waiting = sum(e.status == Enrolment.Status.WAITLISTED for e in enrolments)
    messages.success(
        request,
        _("%(confirmed)s angemeldet, %(waiting)s auf der Warteliste.")
        % {"confirmed": confirmed, "waiting": waiting},
    )
    return redirect(f"/business/?business={business.pk}")


@access("people.act_for_business", model=Enrolment.objects.select_related("run"), private=True)
def business_cancel(request, obj):
    enrolment = obj
    if request.method != "POST":
        return redirect("courses:business")
    try:
        booking.cancel(
            enrolment=enrolment, actor=request.user, reason=_("durch den Betrieb storniert")
        )
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(
            request,
            _("Die Anmeldung von %(name)s ist storniert.") % {"name": enrolment.participant_name},
        )
    return redirect(f"/business/?business={enrolment.business_id}")


APPROVALS = Enrolment.objects.select_related(
    "run__course", "run__school", "participant", "business"
)


@access(
    "courses.approve_enrolment",
    model=APPROVALS,
    url_kwarg="token",
    field="approval_token_hash",
    lookup=token_digest,
    private=True,
)
def approval(request, obj):
    """The link in the employer's e-mail (only its digest is stored)."""
    return _approval(request, obj)


@access("courses.approve_enrolment", model=APPROVALS, private=True)
def pending_approval(request, obj):
    """The same page reached from the business area, where the contact is signed in anyway."""
    return _approval(request, obj)


def _approval(request, enrolment: Enrolment):
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "approve":
                booking.approve(enrolment_id=enrolment.pk, actor=request.user)
                messages.success(request, _("Die Anmeldung ist freigegeben und bestätigt."))
            elif request.POST.get("decision") == "decline":
                booking.decline(enrolment_id=enrolment.pk, actor=request.user)
                messages.success(request, _("Die Anmeldung wurde abgelehnt."))
            else:
                messages.error(request, _("Bitte wählen Sie Freigeben oder Ablehnen."))
                return redirect(request.path)
        except DomainError as err:
            messages.error(request, err.message)
            return redirect(request.path)
        return redirect(f"/business/?business={enrolment.business_id}")
    return render(
        request,
        "business/approval.html",
        {
            "enrolment": enrolment,
            "run": enrolment.run,
            "expired": enrolment.hold_expired(timezone.now()),
        },
    )
