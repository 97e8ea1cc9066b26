"""The pages every German public web offer must have, linked from every page's footer: Impressum,
privacy notice, accessibility statement with its feedback form, and how booking works in Leichte
Sprache. They are public and read only settings."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import public
from core.errors import DomainError

from .forms import BarrierReportForm
from .services import barrier_report_create


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.split("|") if line.strip()]


def _publisher() -> dict:
    return {
        "name": settings.LEGAL_PUBLISHER,
        "address": _lines(settings.LEGAL_ADDRESS),
        "representative": settings.LEGAL_REPRESENTATIVE,
        "email": settings.LEGAL_CONTACT_EMAIL,
        "phone": settings.LEGAL_PHONE,
        "vat_id": settings.LEGAL_VAT_ID,
        "dpo": _lines(settings.LEGAL_DPO_CONTACT),
        "supervisory_authority": settings.LEGAL_SUPERVISORY_AUTHORITY,
        "enforcement_body": settings.LEGAL_ENFORCEMENT_BODY,
    }


@public
def imprint(request):
    return render(request, "legal/imprint.html", {"publisher": _publisher()})


@public
def privacy(request):
    context = {
        "publisher": _publisher(),
        "certificate_retention_years": settings.CERTIFICATE_RETENTION_DAYS // 365,
        "interest_days": settings.DEMAND_INTEREST_DAYS,
        "hold_days": settings.BOOKING_APPROVAL_HOLD_DAYS,
    }
    return render(request, "legal/privacy.html", context)


@public
def accessibility(request):
    form = BarrierReportForm(
        request.POST or None, initial={"page_url": request.GET.get("page", "")[:500]}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            barrier_report_create(
                message=data["message"],
                name=data["name"],
                email=data["email"],
                page_url=data["page_url"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _("Vielen Dank. Ihre Meldung ist bei der Kreisverwaltung eingegangen."),
            )
            return redirect("legal:accessibility")
    context = {
        "publisher": _publisher(),
        "reviewed": settings.LEGAL_ACCESSIBILITY_REVIEWED,
        "form": form,
    }
    return render(request, "legal/accessibility.html", context)


@public
def easy_language(request):
    return render(request, "legal/easy_language.html")
