"""What the machines report: every item of the user's schools that has sent telemetry, with its
state, and what the ingest process refused (unknown inventory numbers, malformed messages)."""

from django.conf import settings
from django.shortcuts import render

from core.access import access
from people.roles import managed_school_ids

from ..selectors_telemetry import fleet, rejections


@access("workshops.manage_inventory")
def telemetry_overview(request):
    refused = list(rejections())
    return render(
        request,
        "workshops/telemetry.html",
        {
            "items": fleet(managed_school_ids(request.user)),
            "unknown": [r for r in refused if r.reason == "unknown"],
            "malformed": [r for r in refused if r.reason == "malformed"],
            "enabled": bool(settings.MQTT_URL),
            "prefix": settings.MQTT_TOPIC_PREFIX,
        },
    )
