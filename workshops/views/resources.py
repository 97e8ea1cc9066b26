"""Loans (lend, check in, overdue), consumables (stock per workshop, receipts, use, low stock)
and safety briefings. Lists of the schools the user manages (briefings: also instructs)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import access
from core.errors import DomainError
from people.roles import managed_school_ids, roles_of

from ..forms_resources import (
    BriefingForm,
    ConsumableForm,
    LendForm,
    LoadForm,
    ReceiveForm,
    UseForm,
)
from ..models import Equipment, LoadedConsumable, Loan
from ..selectors_resources import briefings_of, loans, low_stocks, overdue_loans, stocks
from ..services.briefings import record_briefing
from ..services.consumables import create_consumable, load_consumable, receive_stock, record_use
from ..services.loans import lend_item, return_item


@access("workshops.manage_inventory")
def loan_list(request):
    school_ids = managed_school_ids(request.user)
    form = LendForm(request.POST or None, school_ids=school_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lend_item(
                equipment=data["equipment"],
                borrower=data["borrower"],
                actor=request.user,
                start=data["start"],
                expected_return=data["expected_return"],
                note=data["note"],
                brief_now=data["brief_now"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Die Ausleihe wurde gespeichert."))
            return redirect("workshops:loans")
    return render(
        request,
        "workshops/loans.html",
        {
            "form": form,
            "loans": loans(school_ids),
            "overdue_ids": {loan.pk for loan in overdue_loans(school_ids)},
        },
    )


@access("workshops.manage_equipment", model=Loan.objects.select_related("equipment"))
@require_POST
def loan_return(request, obj: Loan):
    try:
        return_item(loan=obj, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Die Rückgabe wurde eingetragen."))
    return redirect("workshops:loans")


@access("workshops.manage_inventory")
def consumable_list(request):
    school_ids = managed_school_ids(request.user)
    action = request.POST.get("action")
    forms = {
        "new": ConsumableForm(
            request.POST if action == "new" else None, prefix="new", school_ids=school_ids
        ),
        "receive": ReceiveForm(
            request.POST if action == "receive" else None, prefix="receive", school_ids=school_ids
        ),
        "use": UseForm(
            request.POST if action == "use" else None, prefix="use", school_ids=school_ids
        ),
    }
    form = forms.get(action)
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "new":
                create_consumable(
                    school=data["school"],
                    actor=request.user,
                    name=data["name"],
                    material=data["material"],
                    colour=data["colour"],
                    unit=data["unit"],
                )
            elif action == "receive":
                receive_stock(
                    consumable=data["consumable"],
                    workshop=data["workshop"],
                    quantity=data["quantity"],
                    minimum=data["minimum"],
                    actor=request.user,
                )
            else:
                record_use(
                    stock=data["stock"],
                    quantity=data["quantity"],
                    note=data["note"],
                    actor=request.user,
                )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Gespeichert."))
            return redirect("workshops:consumables")
    return render(
        request,
        "workshops/consumables.html",
        {"forms": forms, "stocks": stocks(school_ids), "low": low_stocks(school_ids)},
    )


@access("workshops.record_briefing")
def briefing_list(request):
    roles = roles_of(request.user)
    school_ids = set(managed_school_ids(request.user)) | set(roles.instructor_school_ids)
    form = BriefingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_briefing(
                person=data["person"],
                equipment_type=data["equipment_type"],
                actor=request.user,
                given_on=data["given_on"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Die Unterweisung wurde eingetragen."))
            return redirect("workshops:briefings")
    return render(
        request,
        "workshops/briefings.html",
        {"form": form, "briefings": briefings_of(school_ids)},
    )


def loaded_panel(item: Equipment) -> dict:
    """The equipment page's part on the material loaded in the machine."""
    loaded = (
        LoadedConsumable.objects.filter(equipment=item)
        .select_related("stock__consumable", "stock__workshop")
        .first()
    )
    form = LoadForm(item=item, initial={"stock": loaded.stock_id if loaded else None})
    return {"loaded": loaded, "load_form": form}


@access("workshops.manage_equipment", model=Equipment.objects.select_related("type", "school"))
@require_POST
def equipment_consumable(request, obj: Equipment):
    form = LoadForm(request.POST, item=obj)
    if form.is_valid():
        try:
            load_consumable(equipment=obj, stock=form.cleaned_data["stock"], actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Das eingelegte Material wurde gespeichert."))
    else:
        messages.error(request, _("Bitte ein Material dieser Schule wählen."))
    return redirect("workshops:equipment_detail", pk=obj.pk)
