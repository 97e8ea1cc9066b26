"""Calendar subscriptions (iCal feeds) of staff and trainees: create, renew and delete, each
audited. The token is the only credential a calendar app has, so it is random and renewing it
revokes the old one. Only its digest is stored: create and renew return the token, to be shown
once."""

from django.db import transaction

from core.audit import audit
from core.tokens import new_token
from people.models import User
from workshops.models import Workshop

from ..models import CalendarFeed


@transaction.atomic
def create_feed(
    *,
    actor: User,
    scope: str,
    workshop: Workshop | None = None,
    school_id: int | None = None,
) -> tuple[CalendarFeed, str]:
    """A feed of the actor's own sessions (scope "instructor"), of a workshop, or of a school,
    and its token. The caller has checked that the actor may see that workshop or school."""
    token, digest = new_token()
    if scope == "instructor":
        feed = CalendarFeed.objects.create(token_hash=digest, instructor=actor)
    elif scope == "workshop":
        feed = CalendarFeed.objects.create(token_hash=digest, workshop=workshop)
    else:
        feed = CalendarFeed.objects.create(token_hash=digest, school_id=school_id)
    audit(actor=actor, action="calendar_feed.created", obj=feed, scope=scope)
    return feed, token


@transaction.atomic
def renew_feed(*, feed: CalendarFeed, actor: User) -> str:
    """A new token (returned): the old address stops working at once (e.g. after it leaked)."""
    token, feed.token_hash = new_token()
    feed.save(update_fields=["token_hash", "updated_at"])
    audit(actor=actor, action="calendar_feed.renewed", obj=feed)
    return token


@transaction.atomic
def delete_feed(*, feed: CalendarFeed, actor: User) -> None:
    audit(actor=actor, action="calendar_feed.deleted", obj=feed)
    feed.delete()


@transaction.atomic
def renew_participant_feed(*, actor: User) -> tuple[CalendarFeed, str]:
    """The actor's own course calendar and its new token: created on first use, given a new
    token (the old address stops working) on every later call."""
    feed = CalendarFeed.objects.select_for_update().filter(participant=actor).first()
    if feed is None:
        token, digest = new_token()
        feed = CalendarFeed.objects.create(token_hash=digest, participant=actor)
        audit(actor=actor, action="calendar_feed.created", obj=feed, scope="participant")
        return feed, token
    return feed, renew_feed(feed=feed, actor=actor)
