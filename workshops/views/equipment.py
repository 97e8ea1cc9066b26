"""The inventory list, creating and editing items, the item page and its status."""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import access
from core.errors import DomainError
from core.validators import parse_id
from people.models import School
from people.roles import managed_school_ids

from .. import services
from ..forms import DefectForm, EquipmentFilter, EquipmentForm, SchoolChoiceForm, StatusForm
from ..models import Equipment, EquipmentReservation, MaintenanceSchedule
from ..selectors import inventory, maintenance_overview
from ..selectors_telemetry import item_telemetry
from ..services.defects import report_defect
from .resources import loaded_panel

ITEMS = Equipment.objects.select_related("type", "workshop", "school")
TIMELINE_PAST_DAYS = 30
TIMELINE_FUTURE_DAYS = 90


@access("workshops.manage_inventory")
def equipment_list(request):
    school_ids = managed_school_ids(request.user)
    qs = inventory(school_ids).order_by("type__name", "inventory_number")
    filterset = EquipmentFilter(request.GET or None, queryset=qs, school_ids=school_ids)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workshops/equipment_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


@access("workshops.manage_inventory")
def equipment_create(request):
    schools = School.objects.filter(pk__in=managed_school_ids(request.user))
    school_id = parse_id(request.POST.get("school") or request.GET.get("school"))
    school = schools.filter(pk=school_id).first() if school_id is not None else None
    if school is None and schools.count() == 1:
        school = schools.first()
    if school is None:
        form = SchoolChoiceForm(request.GET or None, schools=schools)
        return render(request, "workshops/equipment_form.html", {"school_form": form})
    form = EquipmentForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_equipment(school=school, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Das Gerät wurde angelegt."))
            return redirect("workshops:equipment_detail", pk=item.pk)
    return render(request, "workshops/equipment_form.html", {"form": form, "school": school})


@access("workshops.manage_equipment", model=ITEMS)
def equipment_edit(request, obj: Equipment):
    item = obj
    form = EquipmentForm(
        request.POST or None, school=item.school, initial=EquipmentForm.initial_for(item)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_equipment(equipment=item, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Das Gerät wurde gespeichert."))
            return redirect("workshops:equipment_detail", pk=item.pk)
    return render(
        request,
        "workshops/equipment_form.html",
        {"form": form, "item": item, "school": item.school},
    )


@access("workshops.view_equipment", model=ITEMS)
def equipment_detail(request, obj: Equipment):
    """The item page (its QR label links here). Coordinators manage the item from it; the
    school's instructors read it and may report a defect."""
    item = obj
    if not request.user.has_perm("workshops.manage_equipment", item):
        return render(
            request,
            "workshops/equipment_view.html",
            {"item": item, "defect_form": DefectForm(), "telemetry": item_telemetry(item)},
        )
    now = timezone.now()
    start = now - dt.timedelta(days=TIMELINE_PAST_DAYS)
    end = now + dt.timedelta(days=TIMELINE_FUTURE_DAYS)
    reservations = list(
        EquipmentReservation.objects.filter(equipment=item, end__gt=start, start__lt=end)
        .select_related("reserved_by")
        .order_by("start")
    )
    span = (end - start).total_seconds()
    timeline = [
        {
            "reservation": r,
            # position on the bar as percentages, clipped to the window
            "left": round(max((r.start - start).total_seconds(), 0) / span * 100, 2),
            "width": max(
                round((min(r.end, end) - max(r.start, start)).total_seconds() / span * 100, 2), 0.4
            ),
        }
        for r in reservations
    ]
    duties = [d for d in maintenance_overview([item.school_id]) if d.equipment.pk == item.pk]
    return render(
        request,
        "workshops/equipment_detail.html",
        {
            "item": item,
            "timeline": timeline,
            "timeline_start": start,
            "timeline_end": end,
            "now_left": round(
                TIMELINE_PAST_DAYS / (TIMELINE_PAST_DAYS + TIMELINE_FUTURE_DAYS) * 100, 2
            ),
            "records": item.maintenance_records.select_related("performed_by")[:50],
            "schedules": MaintenanceSchedule.objects.filter(equipment=item)
            | MaintenanceSchedule.objects.filter(
                equipment_type=item.type, school_id=item.school_id
            ),
            "duties": duties,
            "status_form": StatusForm(initial={"status": item.status}),
            "telemetry": item_telemetry(item),
            **loaded_panel(item),
        },
    )


@access("workshops.manage_equipment", model=ITEMS)
@require_POST
def equipment_status(request, obj: Equipment):
    item = obj
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            changed = services.set_equipment_status(
                equipment=item,
                status=form.cleaned_data["status"],
                until=form.cleaned_data["until"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Der Status wurde geändert."))
            _tell_about_moved_reservations(request, changed)
    else:
        messages.error(request, _("Bitte einen gültigen Status wählen."))
    return redirect("workshops:equipment_detail", pk=item.pk)


@access("workshops.report_defect", model=ITEMS)
@require_POST
def equipment_report_defect(request, obj: Equipment):
    item = obj
    form = DefectForm(request.POST)
    if form.is_valid():
        try:
            report_defect(equipment=item, actor=request.user, note=form.cleaned_data["note"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _("Danke, der Defekt ist gemeldet; die Koordination wurde benachrichtigt."),
            )
            return redirect("workshops:equipment_detail", pk=item.pk)
    return render(
        request,
        "workshops/equipment_view.html",
        {"item": item, "defect_form": form, "telemetry": item_telemetry(item)},
        status=400,
    )


def _tell_about_moved_reservations(request, changed: Equipment) -> None:
    moved = getattr(changed, "moved_reservations", 0)
    stranded = getattr(changed, "stranded_reservations", 0)
    if moved:
        messages.info(
            request,
            _("%(n)s Kursreservierungen wurden auf Ersatzgeräte umgelegt.") % {"n": moved},
        )
    if stranded:
        messages.warning(
            request,
            _(
                "Für %(n)s Kursreservierungen gibt es kein freies Ersatzgerät; "
                "bitte die betroffenen Kurse prüfen."
            )
            % {"n": stranded},
        )
