"""Calendar subscriptions (iCal feeds) of staff and trainees: create, renew and delete, each
audited. The token
is the only credential a calendar app has, so it is random and renewing it revokes the old one."""

import secrets

from django.db import transaction

from core.audit import audit
from people.models import User
from workshops.models import Workshop

from ..models import CalendarFeed


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def create_feed(
    *,
    actor: User,
    scope: str,
    workshop: Workshop | None = None,
    school_id: int | None = None,
) -> CalendarFeed:
    """A feed of the actor's own sessions (scope "instructor"), of a workshop, or of a school.
    The caller has checked that the actor may see that workshop or school."""
    if scope == "instructor":
        feed = CalendarFeed.objects.create(token=_new_token(), instructor=actor)
    elif scope == "workshop":
        feed = CalendarFeed.objects.create(token=_new_token(), workshop=workshop)
    else:
        feed = CalendarFeed.objects.create(token=_new_token(), school_id=school_id)
    audit(actor=actor, action="calendar_feed.created", obj=feed, scope=scope)
    return feed


@transaction.atomic
def renew_feed(*, feed: CalendarFeed, actor: User) -> CalendarFeed:
    """A new token: the old address stops working at once (e.g. after it leaked)."""
    feed.token = _new_token()
    feed.save(update_fields=["token", "updated_at"])
    audit(actor=actor, action="calendar_feed.renewed", obj=feed)
    return feed


@transaction.atomic
def delete_feed(*, feed: CalendarFeed, actor: User) -> None:
    audit(actor=actor, action="calendar_feed.deleted", obj=feed)
    feed.delete()


@transaction.atomic
def renew_participant_feed(*, actor: User) -> CalendarFeed:
    """The actor's own course calendar: created on first use, given a new token (the old address
    stops working) on every later call."""
    feed = CalendarFeed.objects.select_for_update().filter(participant=actor).first()
    if feed is None:
        feed = CalendarFeed.objects.create(token=_new_token(), participant=actor)
        audit(actor=actor, action="calendar_feed.created", obj=feed, scope="participant")
        return feed
    return renew_feed(feed=feed, actor=actor)
