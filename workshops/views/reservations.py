"""External reservations of an item: create and cancel (course reservations change with their
sessions)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import access
from core.errors import DomainError

from .. import services
from ..forms import ReservationForm
from ..models import Equipment, EquipmentReservation
from .equipment import ITEMS


@access("workshops.manage_equipment", model=ITEMS)
def reservation_create(request, obj: Equipment):
    item = obj
    form = ReservationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reserve_external(
                equipment=item,
                actor=request.user,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                purpose=form.cleaned_data["purpose"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Die Reservierung wurde gespeichert."))
            return redirect("workshops:equipment_detail", pk=item.pk)
    return render(request, "workshops/reservation_form.html", {"form": form, "item": item})


@access(
    "workshops.manage_equipment", model=EquipmentReservation.objects.select_related("equipment")
)
@require_POST
def reservation_cancel(request, obj: EquipmentReservation):
    reservation = obj
    if reservation.kind != EquipmentReservation.Kind.EXTERNAL:
        messages.error(request, _("Reservierungen für Kurstermine ändern Sie über den Termin."))
    else:
        services.cancel_reservation(reservation=reservation, actor=request.user)
        messages.success(request, _("Die Reservierung wurde storniert."))
    return redirect("workshops:equipment_detail", pk=reservation.equipment_id)
