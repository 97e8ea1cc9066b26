"""The session store (SESSION_ENGINE): Django's database sessions, the same table, format and
rules, with the lookup that every signed-in request makes compiled once (core.precompiled)."""

from django.contrib.sessions.backends import db
from django.db import router
from django.utils import timezone

from .precompiled import Precompiled

_FIELDS = ("session_key", "session_data", "expire_date")


def _unexpired(p, alias, _shape):
    # Django's own lookup (db.SessionStore._get_session_from_db): an expired row is no session.
    from django.contrib.sessions.models import Session

    return (
        Session.objects.using(alias)
        .filter(session_key=p.text("key"), expire_date__gt=p.datetime("now"))
        .values_list(*_FIELDS)
    )


_session = Precompiled(_unexpired, prepared=True)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        alias = router.db_for_read(self.model)
        rows = _session.rows(alias, None, key=self.session_key, now=timezone.now())
        if not rows:
            self._session_key = None  # as Django does: a new session gets a new key
            return None
        return self.model.from_db(alias, _FIELDS, rows[0])
