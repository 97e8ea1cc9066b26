"""Self check-in: a POST by the signed-in participant with their own confirmed enrolment, inside
the session's window, with a code that rotates every 30 seconds on the projector. Each attack on
the old static GET link is reproduced and now fails."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.models import DomainEvent
from courses.errors import CheckInClosed
from courses.models import Attendance, Enrolment
from courses.services import planning
from courses.services.checkin import (
    MAX_WRONG_CODES,
    STEP_SECONDS,
    checkin_code,
    code_is_valid,
    self_check_in,
)
from tests.courses.planning_fixtures import make_plan
from tests.factories import EnrolmentFactory, trainee

pytestmark = pytest.mark.django_db


def _session_now(plan, *, starts_in_minutes=10, hours=3):
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(
        minutes=starts_in_minutes
    )
    return planning.add_session(
        run=plan.run, start=start, end=start + dt.timedelta(hours=hours), actor=None
    )


@pytest.fixture
def plan():
    cache.clear()
    return make_plan(units=0)


def _url(session):
    return reverse("courses:checkin", args=[session.pk])


def _projected_code(html: str) -> str:
    """The code as the projector shows it (digits grouped 3 + 3)."""
    digits = re.search(r'class="checkin-code".*?</span>(\d{3}) (\d{3})</p>', html, re.S)
    return digits.group(1) + digits.group(2)


def test_participant_checks_in_with_the_code_on_the_projector(client, plan):
    session = _session_now(plan, starts_in_minutes=20)  # window opens 30 min before: open now
    enrolment = EnrolmentFactory(run=plan.run)
    client.force_login(plan.instructor)
    projector = client.get(reverse("courses:staff_checkin_qr", args=[session.pk])).content.decode()
    assert "<svg" in projector
    assert 'hx-trigger="every 5s"' in projector, "the projector fetches each new code"
    code = _projected_code(projector)
    assert code_is_valid(session, code, now=timezone.now())
    fragment = client.get(reverse("courses:staff_checkin_code", args=[session.pk]))
    assert fragment["Cache-Control"] == "no-store"
    assert code_is_valid(session, _projected_code(fragment.content.decode()), now=timezone.now())

    client.force_login(enrolment.participant)
    page = client.get(_url(session) + f"?code={code}")
    assert page.status_code == 200
    assert f'value="{code}"' in page.content.decode(), "scanning fills the code in"
    assert not Attendance.objects.exists(), "opening the link checks nobody in"
    response = client.post(_url(session) + f"?code={code}", {"code": code})
    assert response.status_code == 200
    assert "Sie sind eingecheckt" in response.content.decode()
    mark = Attendance.objects.get(enrolment=enrolment, session=session)
    assert (mark.status, mark.method) == ("present", "self_checkin")
    assert DomainEvent.objects.filter(type="attendance.recorded").count() == 1


def test_a_forwarded_link_opened_elsewhere_later_checks_nobody_in(client, plan):
    """The old attack: the link is forwarded to a friend at home who opens it. Now a GET does
    nothing, and the code in the link has expired a minute later."""
    session = _session_now(plan, starts_in_minutes=-30)
    absent = EnrolmentFactory(run=plan.run)
    issued = timezone.now() - dt.timedelta(seconds=2 * STEP_SECONDS + 1)
    old_code = checkin_code(session, now=issued)
    client.force_login(absent.participant)
    assert client.get(_url(session) + f"?code={old_code}").status_code == 200
    response = client.post(_url(session), {"code": old_code})
    assert response.status_code == 409
    assert "abgelaufen" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_code_is_accepted_for_the_current_and_previous_step_only(plan):
    session = _session_now(plan)
    now = timezone.now()
    step = dt.timedelta(seconds=STEP_SECONDS)
    assert code_is_valid(session, checkin_code(session, now=now), now=now)
    assert code_is_valid(session, checkin_code(session, now=now - step), now=now)
    assert not code_is_valid(session, checkin_code(session, now=now - 2 * step), now=now)
    assert not code_is_valid(session, checkin_code(session, now=now + step), now=now)
    other = _session_now(plan, starts_in_minutes=300)
    assert checkin_code(other, now=now) != checkin_code(session, now=now) or not code_is_valid(
        other, checkin_code(session, now=now - 2 * step), now=now
    )
    assert re.fullmatch(r"\d{6}", checkin_code(session, now=now))


def test_check_in_is_a_post_and_needs_a_login(client, plan):
    session = _session_now(plan)
    code = checkin_code(session)
    response = client.post(_url(session), {"code": code})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.get(_url(session)).status_code == 302
    assert not Attendance.objects.exists()


def test_only_the_participants_own_confirmed_enrolment_counts(client, plan):
    session = _session_now(plan)
    code = checkin_code(session)
    waiting = EnrolmentFactory(run=plan.run, status=Enrolment.Status.WAITLISTED, waitlist_seq=1)
    for person in (trainee(), waiting.participant, plan.instructor):
        client.force_login(person)
        response = client.post(_url(session), {"code": code})
        assert response.status_code == 409
        assert "keine bestätigte Anmeldung" in response.content.decode()
    assert not Attendance.objects.exists()


def test_outside_the_window_the_code_does_not_help(plan):
    session = _session_now(plan, starts_in_minutes=120)
    enrolment = EnrolmentFactory(run=plan.run)
    early = session.start - dt.timedelta(minutes=45)
    with pytest.raises(CheckInClosed, match="öffnet erst"):
        self_check_in(
            session=session,
            code=checkin_code(session, now=early),
            user=enrolment.participant,
            now=early,
        )
    late = session.end + dt.timedelta(seconds=1)
    with pytest.raises(CheckInClosed, match="vorbei"):
        self_check_in(
            session=session,
            code=checkin_code(session, now=late),
            user=enrolment.participant,
            now=late,
        )
    assert not Attendance.objects.exists()


def test_guessing_codes_is_cut_off(client, plan):
    session = _session_now(plan)
    enrolment = EnrolmentFactory(run=plan.run)
    client.force_login(enrolment.participant)
    right = checkin_code(session)
    wrong = [f"{n:06d}" for n in range(1000) if f"{n:06d}" != right][:MAX_WRONG_CODES]
    for code in wrong:
        assert client.post(_url(session), {"code": code}).status_code == 409
    response = client.post(_url(session), {"code": right})
    assert response.status_code == 409 and "Zu viele falsche Codes" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_projector_is_for_the_sessions_staff_only(client, plan):
    session = _session_now(plan)
    enrolment = EnrolmentFactory(run=plan.run)
    client.force_login(enrolment.participant)
    assert client.get(reverse("courses:staff_checkin_qr", args=[session.pk])).status_code == 403
    assert client.get(reverse("courses:staff_checkin_code", args=[session.pk])).status_code == 403


def test_old_static_check_in_links_are_gone(client, plan):
    session = _session_now(plan)
    client.force_login(EnrolmentFactory(run=plan.run).participant)
    assert client.get(f"/checkin/{'x' * 32}/").status_code == 404
    assert not hasattr(session, "checkin_token")
