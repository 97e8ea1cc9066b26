"""The district admin's page of sign-in links waiting for confirmation."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import access
from core.errors import DomainError

from . import services
from .models import SignInLink
from .selectors import links_to_decide


@access("signin.review_links")
def link_list(request):
    return render(request, "signin/link_list.html", {"links": links_to_decide(request.user)})


@require_POST
@access("signin.decide_link", model=SignInLink.objects.select_related("user"))
def link_decide(request, obj):
    decision = request.POST.get("decision")
    if decision not in {"approve", "refuse"}:
        messages.error(request, _("Bitte wählen Sie „Bestätigen“ oder „Ablehnen“."))
        return redirect("signin:link_list")
    try:
        if decision == "approve":
            services.approve_link(link=obj, actor=request.user)
            messages.success(
                request,
                _("%(person)s kann sich jetzt über %(provider)s anmelden.")
                % {"person": obj.user, "provider": obj.provider},
            )
        else:
            services.refuse_link(link=obj, actor=request.user)
            messages.success(request, _("Die Verknüpfung wurde abgelehnt."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("signin:link_list")
