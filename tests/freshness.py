"""Ages the stamps the cached catalogue reads (core.freshness), as if nobody had written for an
hour: from then on its answers are stored, and a test can show what invalidates them."""

import datetime as dt

from django.utils import timezone

from core.models import UnstampedChange
from courses.selectors import CATALOGUE_STAMPED


def settle_catalogue() -> None:
    past = timezone.now() - dt.timedelta(hours=1)
    for model in CATALOGUE_STAMPED:
        model.objects.update(updated_at=past)
    UnstampedChange.objects.update(at=past)
