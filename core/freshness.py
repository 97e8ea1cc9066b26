"""What changed, and since when: the change horizon the API's change feed trusts, and a cache for
public answers that are read far more often than the data under them changes (the catalogue page,
the run list), served only while nothing they show has changed.

A cached answer is stored with the newest `updated_at` of every table it reads. It is served while
those stamps are the same and no row of those tables was deleted (a delete stamps nothing: a
post_delete receiver bumps a generation in the cache after the commit; tables without `updated_at`
bump it on every save too). A writer stamps its rows before it commits, so a change stamped
earlier may become visible after one stamped later and leave the newest stamp unchanged: an
answer is therefore stored only when every newest stamp lies before the change horizon (nobody
still writing began before it); each later commit then stamps something newer.

Writes through queryset.update() must set updated_at (touch_run does) to be seen here, as they
must for the API's `updated_since` anyway."""

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import connection, models, transaction
from django.utils import timezone

# How far a change feed may trust updated_at stamps: clocks of the web processes and the
# database may differ a little, and a row is stamped just before its statement starts.
HORIZON_MARGIN = dt.timedelta(seconds=2)

_OLDEST_WRITER = (
    "SELECT LEAST(now(), min(xact_start)) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
    "AND backend_type = 'client backend' AND xact_start IS NOT NULL"
)
GENERATION_KEY = "freshness:deletions"


def _sqlite_horizon() -> dt.datetime:
    # Writers queue on one lock for at most the busy timeout.
    wait = dt.timedelta(seconds=connection.settings_dict.get("OPTIONS", {}).get("timeout", 5))
    return timezone.now() - wait - HORIZON_MARGIN


def change_horizon() -> dt.datetime:
    """A time before which every change that will ever commit is committed already.

    PostgreSQL: the start of the oldest transaction still open in another session (a writer
    stamps its rows after it began), or now. SQLite: writers queue on one lock for at most the
    busy timeout, so now minus that timeout. Minus HORIZON_MARGIN in both cases."""
    return latest_stamps(())[0]


def latest_stamps(tables: Iterable[type[models.Model]]) -> tuple[dt.datetime, tuple]:
    """(change horizon, newest updated_at of each table) in one statement (each an index probe)."""
    columns = [
        f'(SELECT max("updated_at") FROM "{model._meta.db_table}")'  # noqa: S608 - our tables
        for model in tables
    ]
    postgres = connection.vendor == "postgresql"
    if postgres:
        columns.insert(0, f"({_OLDEST_WRITER})")
    if not columns:
        return _sqlite_horizon(), ()
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns))
        row = cursor.fetchone()
    if postgres:
        return (row[0] or timezone.now()) - HORIZON_MARGIN, tuple(row[1:])
    return _sqlite_horizon(), tuple(map(_parsed, row))


def _parsed(value):
    # SQLite answers a raw max() with the stored text (UTC).
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return value


def bump_generation() -> None:
    """A row the cached answers may show was deleted (or changed without a stamp): forget them
    once the change is committed (before, a reader could cache the old rows again). Once per
    transaction, however many rows it deletes."""
    if connection.in_atomic_block and any(f is _bump for _ids, f, _r in connection.run_on_commit):
        return
    transaction.on_commit(_bump, robust=True)


def _new_generation() -> None:
    # Never a value used before (the key may have been evicted): the clock only moves on.
    cache.add(GENERATION_KEY, time.time_ns(), timeout=None)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (never set, or evicted)
        _new_generation()


def cached_while_unchanged(
    key: str,
    tables: Iterable[type[models.Model]],
    build: Callable[[], Any],
    *,
    timeout: int = 600,
    still_valid: Callable[[Any], bool] | None = None,
    horizon: list | None = None,
) -> Any:
    """build(), or its cached value while nothing in `tables` (models with updated_at; others
    must call bump_generation when saved) changed since it was built and
    `still_valid(value)` holds (for what time alone changes). `key` must name everything else
    the value depends on (parameters, language, time zone, reader). The change horizon read on
    the way is appended to `horizon`."""
    tables = tuple(tables)
    full_key = "fresh:" + hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    # The generation is read before the data: a delete committed after this read bumps it.
    found = cache.get_many([GENERATION_KEY, full_key])
    at, stamps = latest_stamps(tables)
    if horizon is not None:
        horizon.append(at)
    generation = found.get(GENERATION_KEY)
    if generation is None:  # first use, or evicted: nothing cached can be trusted
        _new_generation()
        return build()
    version = (generation, stamps)
    entry = found.get(full_key)
    if entry is not None and entry[0] == version and (still_valid is None or still_valid(entry[1])):
        return entry[1]
    value = build()
    if all(stamp is None or stamp < at for stamp in stamps):
        cache.set(full_key, (version, value), timeout)
    return value
