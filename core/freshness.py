"""What changed, and since when: the change horizon the API's change feed trusts, and a cache for
public answers that are read far more often than the data under them changes (the catalogue page,
the run list), served only while nothing they show has changed.

A cached answer is stored with the newest `updated_at` of every table it reads and the newest
UnstampedChange (a delete stamps nothing, nor does a save of a table without updated_at:
receivers note those, see note_unstamped_change); it is served while they are all the same. A
writer stamps its rows before it commits, so a change stamped earlier may become visible after one
stamped later and leave the newest stamp unchanged: an answer is therefore stored only when every
newest stamp lies before the change horizon (nobody still writing began before it); each later
commit then stamps something newer. All of it is read from the database in one statement, so
every process agrees on it (a local-memory cache per process is as safe as a shared one).

Writes through queryset.update() must set updated_at (touch_run does) to be seen here, as they
must for the API's `updated_since` anyway."""

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models.functions import Now
from django.utils import timezone

from . import precompiled
from .models import UnstampedChange

# How far a change feed may trust updated_at stamps: clocks of the web processes and the
# database may differ a little, and a row is stamped just before its statement starts.
HORIZON_MARGIN = dt.timedelta(seconds=2)

KEEP_UNSTAMPED = dt.timedelta(days=1)

_OLDEST_WRITER = (
    "SELECT LEAST(now(), min(xact_start)) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
    "AND backend_type = 'client backend' AND xact_start IS NOT NULL"
)


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


def latest_stamps(
    tables: Iterable[type[models.Model]], *, horizon: bool = True
) -> tuple[dt.datetime | None, tuple]:
    """(change horizon, newest updated_at of each table) in one statement (each an index probe);
    without the horizon (None), the statement reads no pg_stat_activity."""
    columns = [
        f'(SELECT max("{getattr(model, "STAMP", "updated_at")}") '  # noqa: S608 - our tables
        f'FROM "{model._meta.db_table}")'
        for model in tables
    ]
    postgres = connection.vendor == "postgresql"
    if postgres and horizon:
        columns.insert(0, f"({_OLDEST_WRITER})")
    if not columns:
        return _sqlite_horizon() if horizon else None, ()
    sql = "SELECT " + ", ".join(columns)
    with connection.cursor() as cursor:
        # Planning the stamps' subqueries costs PostgreSQL most of the statement's time:
        # prepared, they are planned once per connection.
        name = "stamps_" + hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:16]
        prepare, execute = precompiled.prepare_and_execute(name, sql, 0)
        if postgres and precompiled.on_connection(connection, name, prepare):
            cursor.execute(execute)
        else:
            cursor.execute(sql)
        row = cursor.fetchone()
    if postgres and horizon:
        return (row[0] or timezone.now()) - HORIZON_MARGIN, tuple(row[1:])
    return _sqlite_horizon() if horizon else None, tuple(map(_parsed, row))


def _parsed(value):
    # SQLite answers a raw max() with the stored text (UTC).
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return value


def note_unstamped_change(model: type[models.Model]) -> None:
    """A row of `model` was deleted, or saved without a stamp: cached answers that read it must
    not be served any more. Appended in the writer's transaction, so it becomes visible exactly
    when the change does; once per transaction and table."""
    table = model._meta.db_table
    marker = _Marker(table)
    if connection.in_atomic_block:
        if any(f == marker for _ids, f, _r in connection.run_on_commit):
            return
        transaction.on_commit(marker)  # kept only while this (sub)transaction is
    UnstampedChange.objects.create(table=table, at=Now())
    # Only the newest row matters; older ones go (never all of them: the newest stays).
    UnstampedChange.objects.filter(at__lt=timezone.now() - KEEP_UNSTAMPED).delete()


class _Marker:
    """A no-op on-commit callback that says this transaction noted a change of `table`."""

    def __init__(self, table: str):
        self.table = table

    def __eq__(self, other):
        return isinstance(other, _Marker) and other.table == self.table

    __hash__ = None

    def __call__(self):
        pass


def cached_while_unchanged(
    key: str,
    tables: Iterable[type[models.Model]],
    build: Callable[[], Any],
    *,
    timeout: int = 600,
    still_valid: Callable[[Any], bool] | None = None,
    horizon: list | None = None,
) -> Any:
    """build(), or its cached value while nothing in `tables` (models with updated_at; deletes
    and unstamped saves must be noted with note_unstamped_change) changed since it was built and
    `still_valid(value)` holds (for what time alone changes). `key` must name everything else
    the value depends on (parameters, language, time zone, reader). Given a list as `horizon`,
    the change horizon is read with the stamps and appended to it; else it is read only when an
    answer is built (serving a stored one is safe without it: see the module's docstring)."""
    tables = tuple(tables)
    full_key = "fresh:" + hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    at, version = latest_stamps((*tables, UnstampedChange), horizon=horizon is not None)
    if horizon is not None:
        horizon.append(at)

    def usable(entry) -> bool:
        return (
            entry is not None
            and entry[0] == version
            and (still_valid is None or still_valid(entry[1]))
        )

    entry = _recent.get(full_key)
    if usable(entry):
        return entry[1]
    entry = cache.get(full_key)
    if usable(entry):
        _recent.put(full_key, entry)
        return entry[1]
    if at is None:
        at = change_horizon()  # after the stamps, before the rows are read
    value = build()
    if all(stamp is None or stamp < at for stamp in version):
        cache.set(full_key, (version, value), timeout)
        _recent.put(full_key, (version, value))
    return value


class _Recent:
    """The last few entries in this process as well: a page of 1,000 runs is more than a
    megabyte, not to be fetched from the shared cache for every request. Checked against the
    same version, so no staler than the shared copy."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple | None:
        with self.lock:
            return self.entries.get(key)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()

    def put(self, key: str, entry: tuple) -> None:
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_recent = _Recent(size=16)
