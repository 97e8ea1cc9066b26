"""The nested session list of /api/v1/runs/ is written without DRF's per-field machinery (for
speed); it must give exactly what the declared serializer fields give, in any time zone."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from api.serializers.runs import SessionSerializer
from courses.models import Session
from tests.factories import CourseRunFactory, SessionFactory


class _GenericSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = SessionSerializer.Meta.fields


@pytest.mark.parametrize("zone", ["Europe/Berlin", "UTC", "America/St_Johns"])
def test_nested_sessions_match_drf_fields(db, zone):
    run = CourseRunFactory()
    winter = dt.datetime(2026, 1, 12, 7, 30, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 6, 6, 0, 5, 123456, tzinfo=dt.UTC)
    SessionFactory(run=run, start=winter, end=winter + dt.timedelta(hours=8))
    SessionFactory(run=run, start=summer, end=summer + dt.timedelta(hours=4))
    sessions = Session.objects.filter(run=run).order_by("start")
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        fast = SessionSerializer(sessions, many=True).data
        generic = _GenericSessionSerializer(sessions, many=True).data
        via_manager = SessionSerializer(run.sessions, many=True).data
    assert fast == generic
    assert sorted(map(dict, via_manager), key=lambda s: s["start"]) == fast
    if zone == "UTC":
        assert fast[0]["start"] == "2026-01-12T07:30:00Z"
    if zone == "Europe/Berlin":
        assert fast[1]["start"] == "2026-07-06T08:00:05.123456+02:00"
