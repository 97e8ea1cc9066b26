"""A trainee's personal calendar subscription: the sessions of their own courses, behind a token
that calendar apps fetch without a login. Made (and renewed) from "Meine Kurse"."""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import access, public
from core.tokens import token_digest

from ..ical import build_calendar
from ..models import CalendarFeed, Enrolment, Session
from ..services import feeds as feeds_service

FEED_PAST_DAYS = 90
NEW_FEED_URL = "new_participant_feed_url"
# In the feed: seats, places still waiting for a seat or an approval (TENTATIVE), and courses
# taken; a cancelled enrolment drops out.
SHOWN = (*Enrolment.Status.LISTED,)
UNSURE = (Enrolment.Status.WAITLISTED, Enrolment.Status.PENDING)


@access()
@require_POST
def my_feed_renew(request):
    _feed, token = feeds_service.renew_participant_feed(actor=request.user)
    # Shown once on the next page: only the token's digest is stored.
    request.session[NEW_FEED_URL] = request.build_absolute_uri(
        reverse("courses:my_feed", args=[token])
    )
    messages.success(
        request,
        _("Ihre Kalender-Abo-Adresse ist bereit; eine frühere Adresse gilt nicht mehr."),
    )
    return redirect("courses:my")


@public
def my_feed(request, token):
    """The token is the credential (calendar apps cannot log in)."""
    if len(token) < 20:
        raise Http404
    feed = get_object_or_404(
        CalendarFeed.objects.filter(participant__isnull=False, participant__is_active=True),
        token_hash=token_digest(token),
    )
    enrolments = Enrolment.objects.filter(participant_id=feed.participant_id, status__in=SHOWN)
    statuses = dict(enrolments.values_list("run_id", "status"))
    sessions = (
        Session.objects.filter(
            run_id__in=list(statuses),
            end__gte=timezone.now() - dt.timedelta(days=FEED_PAST_DAYS),
        )
        .select_related("run__course", "run__school", "workshop")
        .order_by("start")
    )
    body = build_calendar(
        sessions,
        name=_("Lernwerkstatt: meine Kurse"),
        tentative_runs=[run for run, status in statuses.items() if status in UNSURE],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meine-kurse.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
