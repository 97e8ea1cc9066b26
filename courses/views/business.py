"""The business area: a contact of a craft business sees its employees and apprentices, all
their bookings, books several of them for a run in one step, cancels for them, and decides on
approvals."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from people.models import Business, TraineeProfile, User
from people.roles import roles_of

from ..models import CourseRun, Enrolment
from ..selectors import catalogue
from ..services import booking


class RunChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, run):
        free = (
            _("%(n)s frei") % {"n": run.seats_left}
            if run.seats_left
            else _("ausgebucht, Warteliste")
        )
        return f"{run} – {run.school.name} ({free})"


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.email


class BusinessBookingForm(forms.Form):
    run = RunChoiceField(queryset=CourseRun.objects.none(), label=gettext_lazy("Kurs"))
    participants = PeopleField(
        queryset=User.objects.none(),
        label=gettext_lazy("Teilnehmende"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Freie Plätze werden in dieser Reihenfolge vergeben, danach Warteliste."
        ),
    )

    def __init__(self, *args, business: Business, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.now()
        self.fields["run"].queryset = catalogue(now=now).filter(booking_opens_at__lte=now)
        self.fields["participants"].queryset = User.objects.filter(
            trainee_profile__business=business, is_active=True
        ).order_by("last_name", "first_name")


def _business_for(request) -> Business | None:
    ids = roles_of(request.user).business_ids
    if not ids:
        return None
    wanted = request.GET.get("business") or request.POST.get("business")
    business_id = int(wanted) if wanted and wanted.isdigit() and int(wanted) in ids else min(ids)
    return Business.objects.get(pk=business_id)


def _render_home(request, business: Business, form: BusinessBookingForm, status=200):
    employees = (
        TraineeProfile.objects.filter(business=business)
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


@login_required
def business_home(request):
    business = _business_for(request)
    if business is None or not request.user.has_perm("people.act_for_business", business):
        return HttpResponseForbidden(_("Dieser Bereich ist für Ansprechpersonen von Betrieben."))
    return _render_home(request, business, BusinessBookingForm(business=business))


@login_required
def business_book(request):
    business = _business_for(request)
    if business is None or not request.user.has_perm("people.act_for_business", business):
        return HttpResponseForbidden()
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
        )
    except DomainError as err:
        form.add_error(err.field if err.field in form.fields else None, err.message)
        return _render_home(request, business, form, status=409)
    confirmed = sum(e.status == Enrolment.Status.CONFIRMED for e in enrolments)
    waiting = sum(e.status == Enrolment.Status.WAITLISTED for e in enrolments)
    messages.success(
        request,
        _("%(confirmed)s angemeldet, %(waiting)s auf der Warteliste.")
        % {"confirmed": confirmed, "waiting": waiting},
    )
    return redirect(f"/business/?business={business.pk}")


@login_required
def business_cancel(request, pk):
    if request.method != "POST":
        return redirect("courses:business")
    enrolment = get_object_or_404(Enrolment.objects.select_related("run"), pk=pk)
    if enrolment.business_id is None or not request.user.has_perm(
        "people.act_for_business", enrolment.business
    ):
        raise Http404
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


@login_required
def approval(request, token):
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("run__course", "run__school", "participant", "business"),
        approval_token=token,
    )
    if not request.user.has_perm("courses.approve_enrolment", enrolment):
        raise Http404
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "approve":
                booking.approve(token=token, actor=request.user)
                messages.success(request, _("Die Anmeldung ist freigegeben und bestätigt."))
            elif request.POST.get("decision") == "decline":
                booking.decline(token=token, actor=request.user)
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
        {"enrolment": enrolment, "run": enrolment.run, "expired": _expired(enrolment)},
    )


def _expired(enrolment: Enrolment) -> bool:
    return bool(enrolment.hold_until and enrolment.hold_until < timezone.now())
