"""Calendar subscriptions (iCal): the staff page that creates, renews and deletes them, and the
feed itself, which calendar apps fetch with the token as the only credential. Only the token's
digest is stored, so a new or renewed address is shown once, in the answer to that POST (never
kept in a message or the session)."""

import datetime as dt

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import access, public
from core.tokens import token_digest
from people.roles import managed_school_ids

from ...forms.staff import FeedForm
from ...ical import build_calendar
from ...models import CalendarFeed, CourseRun
from ...selectors import sessions_between
from ...services import feeds as feeds_service

FEED_PAST_DAYS = 90


def _visible_feeds(request):
    """The feeds the user may manage (the courses.manage_feed rule as a query)."""
    school_ids = managed_school_ids(request.user)
    return (
        CalendarFeed.objects.filter(
            Q(school_id__in=school_ids)
            | Q(workshop__school_id__in=school_ids)
            | Q(instructor=request.user)
        )
        .select_related("school", "workshop", "instructor")
        .order_by("created_at")
    )


def _render_list(request, form, revealed: tuple[CalendarFeed, str] | None = None):
    """The list; `revealed` is the feed whose token was just made, with that token."""
    shown = None
    if revealed is not None:
        feed, token = revealed
        url = request.build_absolute_uri(reverse("courses:staff_feed", args=[token]))
        shown = (feed.pk, url)
    context = {"form": form, "feeds": _visible_feeds(request), "shown": shown}
    return render(request, "staff/feed_list.html", context)


def _form(request):
    # The form offers only the user's own schools and workshops (instructors: their sessions).
    return FeedForm(request.POST or None, school_ids=managed_school_ids(request.user))


@access("people.access_staff_area")
def feed_list(request):
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        revealed = feeds_service.create_feed(
            actor=request.user,
            scope=form.cleaned_data["scope"],
            workshop=form.cleaned_data.get("workshop"),
            school_id=form.cleaned_data.get("school_id"),
        )
        messages.success(request, _("Das Kalender-Abo wurde angelegt."))
        return _render_list(
            request, FeedForm(school_ids=managed_school_ids(request.user)), revealed
        )
    return _render_list(request, form)


@access("courses.manage_feed", model=CalendarFeed, private=True)
@require_POST
def feed_renew(request, obj):
    """A new token: the old address stops working at once (e.g. after it leaked)."""
    token = feeds_service.renew_feed(feed=obj, actor=request.user)
    messages.success(request, _("Die Abo-Adresse wurde erneuert; die alte gilt nicht mehr."))
    form = FeedForm(school_ids=managed_school_ids(request.user))
    return _render_list(request, form, (obj, token))


@access("courses.manage_feed", model=CalendarFeed, private=True)
@require_POST
def feed_delete(request, obj):
    feeds_service.delete_feed(feed=obj, actor=request.user)
    messages.success(request, _("Das Kalender-Abo wurde gelöscht."))
    return redirect("courses:staff_feed_list")


@public
def feed(request, token):
    """The private iCal feed: the token is the credential, no login (calendar apps can't)."""
    if len(token) < 20:
        raise Http404
    # A trainee's feed has its own address (views.my_calendar): not served here.
    feed = get_object_or_404(
        CalendarFeed.objects.filter(participant__isnull=True).select_related(
            "school", "workshop", "instructor"
        ),
        token_hash=token_digest(token),
    )
    start = timezone.now() - dt.timedelta(days=FEED_PAST_DAYS)
    qs = sessions_between(start=start, end=timezone.now() + dt.timedelta(days=3650))
    if feed.school_id:
        qs, name = qs.filter(run__school_id=feed.school_id), str(feed.school)
    elif feed.workshop_id:
        qs, name = qs.filter(workshop_id=feed.workshop_id), str(feed.workshop)
    else:
        qs, name = qs.filter(instructor_id=feed.instructor_id), str(feed.instructor)
    qs = qs.exclude(run__status=CourseRun.Status.DRAFT)
    body = build_calendar(qs, name=_("Lernwerkstatt: %(name)s") % {"name": name})
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lernwerkstatt.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
