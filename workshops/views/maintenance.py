"""Maintenance of an item (records, schedules) and the due list of the user's schools."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import access
from core.errors import DomainError
from people.roles import managed_school_ids

from .. import services
from ..forms import MaintenanceForm, ScheduleForm
from ..models import Equipment, MaintenanceSchedule
from ..selectors import due_and_overdue, maintenance_overview
from .equipment import ITEMS


@access("workshops.manage_equipment", model=ITEMS)
def maintenance_create(request, obj: Equipment):
    item = obj
    form = MaintenanceForm(
        request.POST or None,
        initial={"performed_on": timezone.localdate(), "operating_hours_at": item.operating_hours},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_maintenance(
                equipment=item,
                actor=request.user,
                kind=data["kind"],
                performed_on=data["performed_on"],
                performed_by_name=data["performed_by_name"],
                operating_hours_at=data["operating_hours_at"],
                cost=data["cost"],
                notes=data["notes"],
                new_status=data["new_status"] or None,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Die Wartung wurde eingetragen."))
            return redirect("workshops:equipment_detail", pk=item.pk)
    return render(request, "workshops/maintenance_form.html", {"form": form, "item": item})


@access("workshops.manage_equipment", model=ITEMS)
def schedule_create(request, obj: Equipment):
    item = obj
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_schedule(
                school=item.school,
                actor=request.user,
                equipment=None if data["for_type"] else item,
                equipment_type=item.type if data["for_type"] else None,
                kind=data["kind"],
                interval_days=data.get("interval_days"),
                interval_hours=data.get("interval_hours"),
                description=data.get("description", ""),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Der Wartungsplan wurde angelegt."))
            return redirect("workshops:equipment_detail", pk=item.pk)
    return render(request, "workshops/schedule_form.html", {"form": form, "item": item})


@access("workshops.manage_equipment", model=MaintenanceSchedule)
@require_POST
def schedule_delete(request, obj: MaintenanceSchedule):
    schedule = obj
    back = schedule.equipment_id
    services.delete_schedule(schedule=schedule, actor=request.user)
    messages.success(request, _("Der Wartungsplan wurde gelöscht."))
    if back:
        return redirect("workshops:equipment_detail", pk=back)
    return redirect("workshops:maintenance_due")


@access("workshops.manage_inventory")
def maintenance_due(request):
    school_ids = managed_school_ids(request.user)
    show_all = request.GET.get("all") == "1"
    duties = maintenance_overview(school_ids) if show_all else due_and_overdue(school_ids)
    return render(
        request, "workshops/maintenance_due.html", {"duties": duties, "show_all": show_all}
    )
