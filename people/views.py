"""Employment pages: a person asks a business to confirm them (by member number or invitation
code) or confirms a chamber's record; a business contact confirms, refuses, invites and removes
its people."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import access
from core.errors import DomainError
from core.validators import parse_id

from . import selectors, services
from .forms import InviteForm, JoinByCodeForm, JoinByMemberNumberForm
from .models import OPEN_STATUSES, Business, ChamberLink, Employment, EmploymentInvitation
from .roles import roles_of
from .services.invitations import hash_code
from .services.links import link_id_from_token, link_token


def _render_my(request, ask=None, code=None, status=200):
    links = list(selectors.pending_chamber_links(request.user))
    for link in links:  # the person's own: the page may carry the signed link as the e-mail does
        link.token = link_token(link)
    return render(
        request,
        "people/my_employer.html",
        {
            "employments": selectors.employments_of_user(request.user),
            "links": links,
            "ask_form": ask or JoinByMemberNumberForm(),
            "code_form": code or JoinByCodeForm(),
        },
        status=status,
    )


@access()
def my_employer(request):
    return _render_my(request)


@access()
def my_employer_ask(request):
    if request.method != "POST":
        return redirect("people:my_employer")
    form = JoinByMemberNumberForm(request.POST)
    if not form.is_valid():
        return _render_my(request, ask=form, status=422)
    business = selectors.business_by_member_number(
        form.cleaned_data["chamber"], form.cleaned_data["member_number"]
    )
    if business is None:
        form.add_error("member_number", _("Kein aktiver Betrieb mit dieser Mitgliedsnummer."))
        return _render_my(request, ask=form, status=422)
    try:
        services.employment_request(user=request.user, business=business)
    except DomainError as err:
        form.add_domain_error(err)
        return _render_my(request, ask=form, status=409)
    messages.success(
        request,
        _("Ihre Anfrage ist an %(business)s gegangen. Bis zur Bestätigung buchen Sie privat.")
        % {"business": business.name},
    )
    return redirect("people:my_employer")


@access()
def my_employer_code(request):
    if request.method != "POST":
        return redirect("people:my_employer")
    form = JoinByCodeForm(request.POST)
    if not form.is_valid():
        return _render_my(request, code=form, status=422)
    try:
        employment = services.invitation_accept(user=request.user, code=form.cleaned_data["code"])
    except DomainError as err:
        form.add_domain_error(err)
        return _render_my(request, code=form, status=409)
    _say_accepted(request, employment)
    return redirect("people:my_employer")


def _say_accepted(request, employment: Employment) -> None:
    if employment.status == Employment.Status.CONFIRMED:
        text = _("Sie sind jetzt als Beschäftigte:r von %(business)s bestätigt.")
    else:
        text = _(
            "Die Einladung ging an eine andere E-Mail-Adresse: %(business)s bestätigt Ihre "
            "Anfrage noch."
        )
    messages.success(request, text % {"business": employment.business.name})


@access(
    "people.end_employment",
    model=Employment.objects.select_related("business", "user"),
    private=True,
)
def employment_end(request, obj):
    """The person leaves, or a contact removes them (or withdraws / refuses a request). GET asks
    "sure?" on a page of its own that names the person and the bookings that stay; POST ends."""
    mine = obj.user_id == request.user.pk
    if request.method != "POST":
        if obj.status not in OPEN_STATUSES:
            return redirect("people:my_employer" if mine else "people:business_people")
        return render(
            request,
            "people/employment_end_confirm.html",
            {
                "employment": obj,
                "mine": mine,
                "bookings": selectors.bookings_at_stake(obj) if not mine else [],
            },
        )
    try:
        services.employment_end(employment=obj, actor=request.user)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        if mine or obj.status != Employment.Status.CONFIRMED:
            messages.success(request, _("Die Verbindung ist beendet."))
        else:
            messages.success(
                request,
                _("%(name)s gehört nicht mehr zu Ihrem Betrieb und wird per E-Mail benachrichtigt.")
                % {"name": obj.user.get_full_name() or obj.user.email},
            )
    if mine:
        return redirect("people:my_employer")
    return redirect(f"/business/people/?business={obj.business_id}")


@access()
def invitation(request, code):
    found = (
        EmploymentInvitation.objects.select_related("business")
        .filter(code_hash=hash_code(code))
        .first()
    )
    if found is None or not found.is_open(timezone.now()):
        raise Http404
    if request.method == "POST":
        try:
            employment = services.invitation_accept(user=request.user, code=code)
        except DomainError as err:
            messages.error(request, err.message)
            return redirect("people:my_employer")
        _say_accepted(request, employment)
        return redirect("people:my_employer")
    return render(request, "people/invitation.html", {"invitation": found})


@access()
def chamber_link(request, token):
    link_id = link_id_from_token(token)
    link = (
        ChamberLink.objects.select_related("chamber", "business")
        .filter(pk=link_id, user=request.user)
        .first()
        if link_id
        else None
    )
    if link is None:  # another account's link looks like no link at all
        raise Http404
    if request.method == "POST" and link.status == ChamberLink.Status.PENDING:
        try:
            if request.POST.get("decision") == "confirm":
                services.chamber_link_confirm(link=link, user=request.user)
                messages.success(
                    request, _("Der Eintrag der Kammer ist mit Ihrem Konto verbunden.")
                )
            else:
                services.chamber_link_decline(link=link, user=request.user)
                messages.success(request, _("Sie haben die Verknüpfung abgelehnt."))
        except DomainError as err:
            messages.error(request, err.message)
        return redirect("people:my_employer")
    return render(request, "people/chamber_link.html", {"link": link})


# --- the business area ----------------------------------------------------------------------


def _business_for(request) -> Business:
    """The business asked for (?business=) among the user's own, else the first of them."""
    ids = roles_of(request.user).business_ids
    if not ids:  # e.g. a superuser, whom the permission lets in, acts for no business: 403
        raise PermissionDenied
    wanted = request.GET.get("business") or request.POST.get("business")
    wanted_id = parse_id(wanted)
    business_id = wanted_id if wanted_id in ids else min(ids)
    return Business.objects.get(pk=business_id)


def _render_people(request, business: Business, form=None, status=200):
    employments = list(selectors.employments_of_business(business))
    return render(
        request,
        "people/business_people.html",
        {
            "business": business,
            "businesses": Business.objects.filter(pk__in=roles_of(request.user).business_ids),
            "requested": [e for e in employments if e.status == Employment.Status.REQUESTED],
            "confirmed": [e for e in employments if e.status == Employment.Status.CONFIRMED],
            "invitations": selectors.open_invitations(business),
            "form": form or InviteForm(),
        },
        status=status,
    )


@access("people.manage_employees")
def business_people(request):
    return _render_people(request, _business_for(request))


@access("people.manage_employees")
def business_invite(request):
    business = _business_for(request)
    if request.method != "POST":
        return redirect(f"/business/people/?business={business.pk}")
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _render_people(request, business, form, status=422)
    try:
        services.invitation_create(
            business=business,
            email=form.cleaned_data["email"],
            actor=request.user,
            lang=(request.LANGUAGE_CODE or "de")[:2],
        )
    except DomainError as err:
        form.add_domain_error(err)
        return _render_people(request, business, form, status=409)
    messages.success(
        request,
        _("Die Einladung ist an %(email)s verschickt.") % {"email": form.cleaned_data["email"]},
    )
    return redirect(f"/business/people/?business={business.pk}")


@access("people.act_for_business", model=Employment.objects.select_related("user"), private=True)
def business_decide(request, obj):
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "confirm":
                services.employment_confirm(employment=obj, actor=request.user)
                text = _("%(name)s ist als Beschäftigte:r bestätigt.")
            else:
                services.employment_refuse(employment=obj, actor=request.user)
                text = _("Die Anfrage von %(name)s ist abgelehnt.")
        except DomainError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, text % {"name": obj.user.get_full_name() or obj.user.email})
    return redirect(f"/business/people/?business={obj.business_id}")


@access("people.act_for_business", model=EmploymentInvitation, private=True)
def business_revoke_invitation(request, obj):
    if request.method == "POST":
        services.invitation_revoke(invitation=obj, actor=request.user)
        messages.success(request, _("Die Einladung ist zurückgezogen."))
    return redirect(f"/business/people/?business={obj.business_id}")
