"""QR labels of chosen items as a printable PDF."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.access import access
from core.validators import parse_id
from people.roles import managed_school_ids

from ..labels import render_labels
from ..selectors import inventory


@access("workshops.manage_inventory")
def labels_pdf(request):
    ids = [i for i in map(parse_id, request.GET.getlist("ids")) if i is not None]
    school_ids = managed_school_ids(request.user)
    items = list(inventory(school_ids).filter(pk__in=ids).order_by("inventory_number"))
    if not items:
        messages.error(request, _("Bitte mindestens ein Gerät für die Etiketten auswählen."))
        return redirect("workshops:equipment_list")
    response = HttpResponse(render_labels(items), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="geraete-etiketten.pdf"'
    return response
