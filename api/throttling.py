import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class ApiKeyThrottle(SimpleRateThrottle):
    """Requests per key (not per IP: a chamber's sync servers may share or change addresses).
    The rate is read on every request from settings.API_THROTTLE_RATE, so tests and operators
    can change it without a restart of the class machinery."""

    scope = "api_key"

    def get_rate(self):
        return getattr(settings, "API_THROTTLE_RATE", "1200/min")

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # noqa: BLE001 - whatever the cache backend raises
            # The cache is where requests are counted; without it the API stays open (a
            # chamber's sync must not fail because Redis restarts) and says so in the log.
            logger.warning("API throttle not counted (%s): request allowed", type(exc).__name__)
            return True

    def get_cache_key(self, request, view):
        key = getattr(request, "auth", None)
        if key is None or not hasattr(key, "prefix"):
            return None
        return self.cache_format % {"scope": self.scope, "ident": key.prefix}
