"""Consumables: the catalogue of a school's materials, stock per workshop, and every movement.
A use that takes a stock to its minimum e-mails the school's coordinators once (until the stock
is refilled above it)."""

import datetime as dt
from decimal import Decimal

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput
from core.links import absolute_url
from core.services.outbox import enqueue_email
from core.textmail import render_text
from people.selectors import coordinator_emails

from ..models import (
    Consumable,
    ConsumableStock,
    Equipment,
    LoadedConsumable,
    StockMovement,
    Workshop,
)


@transaction.atomic
def create_consumable(
    *, school, actor, name: str, material: str, unit: str, colour: str = ""
) -> Consumable:
    if not name.strip():
        raise InvalidInput(_("Bitte eine Bezeichnung angeben."), field="name")
    if not material.strip():
        raise InvalidInput(_("Bitte das Material angeben."), field="material")
    if unit not in Consumable.Unit.values:
        raise InvalidInput(_("Unbekannte Einheit."), field="unit")
    try:
        with transaction.atomic():
            consumable = Consumable.objects.create(
                school=school,
                name=name.strip(),
                material=material.strip(),
                colour=colour.strip(),
                unit=unit,
            )
    except IntegrityError:
        raise InvalidInput(_("Dieses Material gibt es schon."), field="name") from None
    audit(actor=actor, action="consumable.created", obj=consumable)
    return consumable


def _positive(quantity, field="quantity") -> Decimal:
    if quantity is None or Decimal(quantity) <= 0:
        raise InvalidInput(_("Bitte eine Menge größer als null angeben."), field=field)
    return Decimal(quantity)


def _locked_stock(consumable: Consumable, workshop: Workshop) -> ConsumableStock:
    if workshop.school_id != consumable.school_id:
        raise InvalidInput(_("Die Lernwerkstatt gehört nicht zu dieser Schule."), field="workshop")
    stock, _created = ConsumableStock.objects.get_or_create(
        consumable=consumable, workshop=workshop
    )
    return ConsumableStock.objects.select_for_update().get(pk=stock.pk)


@transaction.atomic
def receive_stock(
    *,
    consumable: Consumable,
    workshop: Workshop,
    quantity,
    actor,
    minimum=None,
    note: str = "",
) -> ConsumableStock:
    """Material arrives (or the minimum is set): the stock grows by `quantity`."""
    quantity = _positive(quantity)
    stock = _locked_stock(consumable, workshop)
    if minimum is not None:
        if Decimal(minimum) < 0:
            raise InvalidInput(_("Der Mindestbestand darf nicht negativ sein."), field="minimum")
        stock.minimum = Decimal(minimum)
    stock.quantity += quantity
    if stock.quantity > stock.minimum:
        stock.alerted_at = None  # refilled: the next shortage is told again
    stock.save(update_fields=["quantity", "minimum", "alerted_at", "updated_at"])
    _movement(stock, StockMovement.Kind.RECEIPT, quantity, actor, note)
    audit(actor=actor, action="stock.received", obj=stock, quantity=str(quantity))
    return stock


@transaction.atomic
def record_use(
    *, stock: ConsumableStock, quantity, actor, note: str = "", at: dt.datetime | None = None
) -> StockMovement:
    """Material used (by the instructor after a session, or reported by a machine)."""
    quantity = _positive(quantity)
    stock = (
        ConsumableStock.objects.select_for_update().select_related("consumable").get(pk=stock.pk)
    )
    if quantity > stock.quantity:
        raise InvalidInput(
            _("Es sind nur noch %(left)s %(unit)s vorhanden.")
            % {"left": stock.quantity, "unit": stock.consumable.get_unit_display()},
            field="quantity",
        )
    stock.quantity -= quantity
    alert = stock.is_low and stock.alerted_at is None
    if alert:
        stock.alerted_at = timezone.now()
    stock.save(update_fields=["quantity", "alerted_at", "updated_at"])
    movement = _movement(stock, StockMovement.Kind.USE, -quantity, actor, note, at=at)
    audit(actor=actor, action="stock.used", obj=stock, quantity=str(quantity))
    if alert:
        _tell_low_stock(stock)
    return movement


@transaction.atomic
def load_consumable(
    *, equipment: Equipment, stock: ConsumableStock | None, actor
) -> LoadedConsumable | None:
    """Say which material a machine is loaded with (a spool on a printer); None unloads it. The
    filament the machine reports is then taken from this stock after each session."""
    if stock is None:
        LoadedConsumable.objects.filter(equipment=equipment).delete()
        audit(actor=actor, action="consumable.unloaded", obj=equipment)
        return None
    if stock.consumable.school_id != equipment.school_id:
        raise InvalidInput(_("Dieses Material gehört nicht zu dieser Schule."), field="stock")
    loaded, _created = LoadedConsumable.objects.update_or_create(
        equipment=equipment,
        defaults={
            "stock": stock,
            "loaded_at": timezone.now(),
            "loaded_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    audit(actor=actor, action="consumable.loaded", obj=equipment, stock=stock.pk)
    return loaded


def _movement(stock, kind, quantity, actor, note, at=None) -> StockMovement:
    return StockMovement.objects.create(
        stock=stock,
        kind=kind,
        quantity=quantity,
        at=at or timezone.now(),
        by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:200],
    )


def _tell_low_stock(stock: ConsumableStock) -> None:
    recipients = coordinator_emails(stock.consumable.school_id)
    if not recipients:
        return
    context = {"stock": stock, "url": absolute_url("workshops:consumables")}
    subject = " ".join(render_text("workshops/emails/low_stock_subject.txt", context).split())
    body = render_text("workshops/emails/low_stock.txt", context)
    enqueue_email(EmailMessage(subject=subject, body=body, to=recipients))
