"""Equipment pages under /staff/equipment/: inventory, item page with reservation timeline and
maintenance, external reservations, due list, QR labels, utilisation. Coordinators of the item's
school only (workshops.manage_equipment); everyone else gets 403."""

import csv
import datetime as dt
import io
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from people.models import School
from people.roles import managed_school_ids

from . import services
from .forms import (
    EquipmentFilter,
    EquipmentForm,
    MaintenanceForm,
    PeriodForm,
    ReservationForm,
    ScheduleForm,
    SchoolChoiceForm,
    StatusForm,
)
from .labels import render_labels
from .models import Equipment, EquipmentReservation, MaintenanceSchedule
from .selectors import due_and_overdue, inventory, maintenance_overview, utilisation

TIMELINE_PAST_DAYS = 30
TIMELINE_FUTURE_DAYS = 90


def coordinator_view(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        school_ids = managed_school_ids(request.user)
        if not school_ids:
            raise PermissionDenied
        request.school_ids = school_ids
        return view(request, *args, **kwargs)

    return wrapper


def _item(request, pk) -> Equipment:
    item = get_object_or_404(Equipment.objects.select_related("type", "workshop", "school"), pk=pk)
    if not request.user.has_perm("workshops.manage_equipment", item):
        raise PermissionDenied
    return item


@coordinator_view
def equipment_list(request):
    qs = inventory(request.school_ids).order_by("type__name", "inventory_number")
    filterset = EquipmentFilter(request.GET or None, queryset=qs, school_ids=request.school_ids)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workshops/equipment_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


@coordinator_view
def equipment_create(request):
    schools = School.objects.filter(pk__in=request.school_ids)
    school_id = request.POST.get("school") or request.GET.get("school")
    school = schools.filter(pk=school_id).first() if str(school_id).isdigit() else None
    if school is None and schools.count() == 1:
        school = schools.first()
    if school is None:
        form = SchoolChoiceForm(request.GET or None, schools=schools)
        return render(request, "workshops/equipment_form.html", {"school_form": form})
    form = EquipmentForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            item = services.create_equipment(
                school=school,
                actor=request.user,
                type=data.pop("type"),
                inventory_number=data.pop("inventory_number"),
                **data,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Das Gerät wurde angelegt."))
            return redirect("workshops:equipment_detail", pk=item.pk)
    return render(request, "workshops/equipment_form.html", {"form": form, "school": school})


@coordinator_view
def equipment_edit(request, pk):
    item = _item(request, pk)
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


@coordinator_view
def equipment_detail(request, pk):
    item = _item(request, pk)
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
        },
    )


@coordinator_view
@require_POST
def equipment_status(request, pk):
    item = _item(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            changed = services.set_equipment_status(
                equipment=item,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Der Status wurde geändert."))
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
    else:
        messages.error(request, _("Bitte einen gültigen Status wählen."))
    return redirect("workshops:equipment_detail", pk=item.pk)


@coordinator_view
def reservation_create(request, pk):
    item = _item(request, pk)
    form = ReservationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reserve_external(equipment=item, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Die Reservierung wurde gespeichert."))
            return redirect("workshops:equipment_detail", pk=item.pk)
    return render(request, "workshops/reservation_form.html", {"form": form, "item": item})


@coordinator_view
@require_POST
def reservation_cancel(request, pk):
    reservation = get_object_or_404(EquipmentReservation.objects.select_related("equipment"), pk=pk)
    if not request.user.has_perm("workshops.manage_equipment", reservation.equipment):
        raise PermissionDenied
    if reservation.kind != EquipmentReservation.Kind.EXTERNAL:
        messages.error(request, _("Reservierungen für Kurstermine ändern Sie über den Termin."))
    else:
        services.cancel_reservation(reservation=reservation, actor=request.user)
        messages.success(request, _("Die Reservierung wurde storniert."))
    return redirect("workshops:equipment_detail", pk=reservation.equipment_id)


@coordinator_view
def maintenance_create(request, pk):
    item = _item(request, pk)
    form = MaintenanceForm(
        request.POST or None,
        initial={"performed_on": timezone.localdate(), "operating_hours_at": item.operating_hours},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["new_status"] = data.get("new_status") or None
        try:
            services.record_maintenance(equipment=item, actor=request.user, **data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Die Wartung wurde eingetragen."))
            return redirect("workshops:equipment_detail", pk=item.pk)
    return render(request, "workshops/maintenance_form.html", {"form": form, "item": item})


@coordinator_view
def schedule_create(request, pk):
    item = _item(request, pk)
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


@coordinator_view
@require_POST
def schedule_delete(request, pk):
    schedule = get_object_or_404(MaintenanceSchedule, pk=pk)
    if not request.user.has_perm("workshops.manage_equipment", schedule):
        raise PermissionDenied
    back = schedule.equipment_id
    services.delete_schedule(schedule=schedule, actor=request.user)
    messages.success(request, _("Der Wartungsplan wurde gelöscht."))
    if back:
        return redirect("workshops:equipment_detail", pk=back)
    return redirect("workshops:maintenance_due")


@coordinator_view
def maintenance_due(request):
    show_all = request.GET.get("all") == "1"
    duties = (
        maintenance_overview(request.school_ids)
        if show_all
        else due_and_overdue(request.school_ids)
    )
    return render(
        request, "workshops/maintenance_due.html", {"duties": duties, "show_all": show_all}
    )


@coordinator_view
def labels_pdf(request):
    ids = [int(v) for v in request.GET.getlist("ids") if v.isdigit()]
    items = list(inventory(request.school_ids).filter(pk__in=ids).order_by("inventory_number"))
    if not items:
        messages.error(request, _("Bitte mindestens ein Gerät für die Etiketten auswählen."))
        return redirect("workshops:equipment_list")
    response = HttpResponse(render_labels(items), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="geraete-etiketten.pdf"'
    return response


def _period(form):
    start = timezone.make_aware(dt.datetime.combine(form.cleaned_data["start"], dt.time.min))
    end = timezone.make_aware(
        dt.datetime.combine(form.cleaned_data["end"] + dt.timedelta(days=1), dt.time.min)
    )
    return start, end


@coordinator_view
def utilisation_view(request):
    form = PeriodForm(request.GET or None, initial=PeriodForm.default_initial())
    if not request.GET:
        form = PeriodForm(PeriodForm.default_initial())
    per_item, per_type = [], []
    if form.is_valid():
        start, end = _period(form)
        per_item, per_type = utilisation(request.school_ids, start=start, end=end)
        fmt = request.GET.get("format")
        if fmt == "csv":
            return _utilisation_csv(per_item, per_type, form)
        if fmt == "xlsx":
            return _utilisation_xlsx(per_item, per_type, form)
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "workshops/utilisation.html",
        {"form": form, "per_item": per_item, "per_type": per_type, "query": query.urlencode()},
    )


HEADERS = ["Ebene", "Bezeichnung", "Stunden reserviert", "Reservierungen", "Auslastung (%)"]


def _rows(per_item, per_type):
    for level, rows in (("Gerät", per_item), ("Geräteart", per_type)):
        for row in rows:
            yield [level, row.label, row.hours, row.reservations, round(row.share * 100, 1)]


def _filename(form, ext):
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return f"auslastung_{start:%Y-%m-%d}_{end:%Y-%m-%d}.{ext}"


def _utilisation_csv(per_item, per_type, form):
    buffer = io.StringIO()
    # Semicolons and a BOM: German Excel opens it correctly with a double click.
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    for row in _rows(per_item, per_type):
        writer.writerow(row)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(form, "csv")}"'
    return response


def _utilisation_xlsx(per_item, per_type, form):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Auslastung"
    sheet.append(HEADERS)
    for row in _rows(per_item, per_type):
        sheet.append(row)
    sheet.column_dimensions["B"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(form, "xlsx")}"'
    return response
