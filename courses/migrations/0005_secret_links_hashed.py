"""Feed and approval tokens are kept as SHA-256 digests, hashed in place so that calendar apps
and approval e-mails already out keep working. The static check-in token goes: check-in now takes
a code that rotates on the projector (courses.services.checkin)."""

import hashlib

from django.db import migrations, models


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def hash_in_place(apps, schema_editor):
    CalendarFeed = apps.get_model("courses", "CalendarFeed")
    Enrolment = apps.get_model("courses", "Enrolment")
    for feed in CalendarFeed.objects.only("pk", "token_hash").iterator():
        CalendarFeed.objects.filter(pk=feed.pk).update(token_hash=_digest(feed.token_hash))
    pending = Enrolment.objects.exclude(approval_token_hash="").only("pk", "approval_token_hash")
    for enrolment in pending.iterator():
        Enrolment.objects.filter(pk=enrolment.pk).update(
            approval_token_hash=_digest(enrolment.approval_token_hash)
        )


class Migration(migrations.Migration):
    dependencies = [("courses", "0004_waitlist_offer_attendance_reminder")]

    operations = [
        migrations.RenameField("calendarfeed", "token", "token_hash"),
        migrations.RenameField("enrolment", "approval_token", "approval_token_hash"),
        # Hashes cannot be turned back into links: going back leaves them hashed (and dead).
        migrations.RunPython(hash_in_place, migrations.RunPython.noop),
        migrations.RemoveField("session", "checkin_token"),
    ]
