"""Reads of the chamber API. Everything of a chamber (its member businesses, their apprentices,
enrolments, attendance, certificates, tombstones, webhooks) is narrowed to the key's chamber here,
so a view that lists or loads through these never shows another chamber's rows (a 404, not a
403: their existence is private). The catalogue (courses, runs) is the same for every chamber."""

import datetime as dt
import hmac

from django.core.cache import cache
from django.db import router, transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from certificates.models import Certificate
from core.freshness import HORIZON_MARGIN, change_horizon  # noqa: F401 - the change feed's
from core.models import DomainEvent
from core.precompiled import Precompiled
from core.validators import parse_id
from courses.models import Attendance, Course, CourseRun, Enrolment, Session
from courses.selectors import waitlist_position_expression, with_seats
from people.models import Business, Chamber, TraineeProfile

from .crypto import KEY_PREFIX, hash_key
from .models import ApiKey, Tombstone, WebhookDelivery, WebhookEndpoint

# What the API shows of runs: drafts are the school's business until published.
VISIBLE_RUN_STATUSES = CourseRun.Status.PUBLIC


def key_from_plaintext(plaintext: str) -> ApiKey | None:
    """The active or inactive key matching the plaintext, compared in constant time."""
    prefix, sep, _rest = plaintext.partition(".")
    if not sep or not prefix.startswith(KEY_PREFIX) or len(prefix) > 16:
        return None
    key = _key_by_prefix(prefix)
    if key is None or not hmac.compare_digest(key.key_hash, hash_key(plaintext)):
        return None
    return key


_KEY_FIELDS = tuple(f.attname for f in ApiKey._meta.concrete_fields)
_CHAMBER_FIELDS = tuple(f.attname for f in Chamber._meta.concrete_fields)
# Asked on every API request: compiled once, prepared on PostgreSQL.
_key_with_chamber = Precompiled(
    lambda p, alias, _shape: (
        ApiKey.objects.using(alias)
        .filter(prefix=p.text("prefix"))
        .order_by()
        .values_list(*_KEY_FIELDS, *(f"chamber__{name}" for name in _CHAMBER_FIELDS))
    ),
    prepared=True,
)


def _key_by_prefix(prefix: str) -> ApiKey | None:
    """The key with this prefix (unique) and its chamber, as select_related would load them."""
    alias = router.db_for_read(ApiKey)
    rows = _key_with_chamber.rows(alias, None, prefix=prefix)
    if not rows:
        return None
    split = len(_KEY_FIELDS)
    key = ApiKey.from_db(alias, _KEY_FIELDS, rows[0][:split])
    key.chamber = Chamber.from_db(alias, _CHAMBER_FIELDS, rows[0][split:])
    return key


# --- the catalogue --------------------------------------------------------------------------


def published_courses() -> QuerySet[Course]:
    """Courses with at least one visible run."""
    visible = CourseRun.objects.filter(course=OuterRef("pk"), status__in=VISIBLE_RUN_STATUSES)
    return Course.objects.filter(Exists(visible)).select_related("topic", "school")


def visible_runs() -> QuerySet[CourseRun]:
    return CourseRun.objects.filter(status__in=VISIBLE_RUN_STATUSES)


_RUNS: dict[bool, QuerySet[CourseRun]] = {}


def runs_with_sessions(*, prefetch: bool = True) -> QuerySet[CourseRun]:
    """Visible runs with their seats and sessions, for the runs resource (a list page loads its
    sessions itself: `prefetch=False`, see RunListSerializer). Built once per process and cloned:
    resolving the nested seat subqueries cost more than the database took for a page (nothing
    in it depends on the time or the request)."""
    if prefetch not in _RUNS:
        _RUNS[prefetch] = _runs_with_sessions(prefetch=prefetch)
    return _RUNS[prefetch].all()


def _runs_with_sessions(*, prefetch: bool) -> QuerySet[CourseRun]:
    # Only the columns the nested session list shows (see SessionListSerializer).
    sessions = Prefetch(
        "sessions",
        queryset=Session.objects.only("id", "run_id", "uid", "start", "end", "status").order_by(
            "start", "id"
        ),
    )
    runs = with_seats(visible_runs().select_related("course", "school", "workshop"))
    return runs.prefetch_related(sessions) if prefetch else runs


def moochub_runs(*, now: dt.datetime) -> QuerySet[CourseRun]:
    """Published runs of active courses that can still be booked, with what a MOOChub record
    prints loaded: course, school, topic, workshop and the scheduled sessions (as
    `scheduled_sessions_list`, which courses.hours reads)."""
    return (
        CourseRun.objects.filter(
            status=CourseRun.Status.PUBLISHED, booking_closes_at__gt=now, course__is_active=True
        )
        .select_related("course__topic", "school", "workshop")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.filter(status=Session.Status.SCHEDULED).order_by("start"),
                to_attr="scheduled_sessions_list",
            )
        )
        .order_by("id")
    )


# --- the chamber's data ---------------------------------------------------------------------

ENROLMENT_FIELDS = (
    "id", "run_id", "participant_id", "participant_name", "business_id", "status", "source",
    "waitlist_seq", "confirmed_at", "cancelled_at", "cancel_reason", "completed_at", "created_at",
    "updated_at",
)  # fmt: skip


def enrolments_of(chamber: Chamber | None) -> QuerySet[Enrolment]:
    """Enrolments of the chamber's member businesses, with the annotations EnrolmentSerializer
    prints (waiting-list position, the trainee's id and number, the member number)."""
    # Only the columns the serializer prints, and the business's member number as an annotation
    # instead of a whole joined Business per row: a sync pulls pages of 1000.
    return (
        Enrolment.objects.filter(business__chamber=chamber)
        .only(*ENROLMENT_FIELDS)
        .annotate(
            business_member_number=F("business__member_number"),
            trainee_id=F("participant__trainee_profile__id"),
            trainee_number=F("participant__trainee_profile__lehrlingsrolle_number"),
            waitlist_position=waitlist_position_expression(),
        )
    )


def attendance_of(chamber: Chamber | None) -> QuerySet[Attendance]:
    return Attendance.objects.filter(enrolment__business__chamber=chamber).select_related("session")


def certificates_of(chamber: Chamber | None) -> QuerySet[Certificate]:
    return Certificate.objects.filter(enrolment__business__chamber=chamber).select_related(
        "enrolment"
    )


def businesses_of(chamber: Chamber | None) -> QuerySet[Business]:
    return Business.objects.filter(chamber=chamber)


def member_business(chamber: Chamber, member_number: str) -> Business | None:
    if not member_number:
        return None
    return businesses_of(chamber).filter(member_number=member_number).first()


def trainees_of(chamber: Chamber | None) -> QuerySet[TraineeProfile]:
    """Apprentices employed by the chamber's member businesses."""
    # A deactivated account is gone from the chamber's view (and left a tombstone).
    return TraineeProfile.objects.filter(
        business__chamber=chamber, user__is_active=True
    ).select_related("user", "business")


def trainee_by_number_or_id(chamber: Chamber, value: str) -> TraineeProfile | None:
    """The chamber's apprentice by Lehrlingsrolle number, or else by id (digits)."""
    profiles = trainees_of(chamber)
    profile = profiles.filter(lehrlingsrolle_number=value).first()
    if profile is None and parse_id(value) is not None:
        profile = profiles.filter(pk=parse_id(value)).first()
    return profile


def tombstones_of(chamber: Chamber | None) -> QuerySet[Tombstone]:
    """The chamber's own deletions and those of what every chamber sees (runs)."""
    return Tombstone.objects.filter(Q(chamber=chamber) | Q(chamber__isnull=True))


# --- webhooks -------------------------------------------------------------------------------


def webhooks_of(chamber: Chamber | None) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(chamber=chamber, deleted_at__isnull=True)


def deliveries_of(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related("attempt_log")
    )


# The chambers with an active endpoint, in the cache every process shares: a booking asks it
# instead of the database (core.events.register_audience, see apps). Dropped on every change of
# an endpoint; the timeout bounds how stale a cache of one process alone can be.
WEBHOOK_CHAMBERS_KEY = "api:webhook-chambers"
WEBHOOK_CHAMBERS_TIMEOUT = 60


def webhook_chamber_ids() -> set[int]:
    """The chambers with an active endpoint, from the database."""
    return set(
        WebhookEndpoint.objects.filter(is_active=True, deleted_at__isnull=True).values_list(
            "chamber_id", flat=True
        )
    )


def chambers_with_webhooks() -> frozenset[int]:
    """`webhook_chamber_ids` as the shared cache has it."""
    cached = cache.get(WEBHOOK_CHAMBERS_KEY)
    if cached is None:
        cached = sorted(webhook_chamber_ids())
        cache.set(WEBHOOK_CHAMBERS_KEY, cached, WEBHOOK_CHAMBERS_TIMEOUT)
    return frozenset(cached)


def forget_webhook_chambers() -> None:
    """After an endpoint was created, changed or deleted (once that commits, so no reader
    caches the state before it again)."""
    transaction.on_commit(lambda: cache.delete(WEBHOOK_CHAMBERS_KEY))


def subscribed_endpoints(event: DomainEvent) -> list[WebhookEndpoint]:
    """Active endpoints of the event's chamber subscribed to its type."""
    if event.chamber_id is None:
        return []
    return [
        e
        for e in WebhookEndpoint.objects.filter(
            chamber_id=event.chamber_id, is_active=True, deleted_at__isnull=True
        )
        if event.type in e.events
    ]


def due_delivery_ids(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def events_without_deliveries(
    *, now: dt.datetime, window: dt.timedelta, grace: dt.timedelta
) -> QuerySet[DomainEvent]:
    """Events of the last `window` whose deliveries were never created (not dispatched): older
    than `grace`, so that the receiver of a commit that just happened is not raced."""
    return DomainEvent.objects.filter(
        dispatched_at__isnull=True,
        created_at__gte=now - window,
        created_at__lte=now - grace,
        chamber__isnull=False,
    ).order_by("created_at", "id")
