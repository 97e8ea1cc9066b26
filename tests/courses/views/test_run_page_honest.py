"""The run page says first what a visitor must know about a run that is no longer ahead, shows no
seats for it, and marks deadlines that have passed; English pages carry British dates."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import CourseRun
from tests.factories import CourseRunFactory, SessionFactory
from tests.timeutils import day_at

pytestmark = pytest.mark.django_db


def _page(client, run, **headers) -> str:
    response = client.get(f"/runs/{run.pk}/", **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_cancelled_run_says_so_at_the_top_and_shows_no_seats(client):
    run = CourseRunFactory(status=CourseRun.Status.CANCELLED, capacity=12)
    SessionFactory(run=run)
    page = _page(client, run)
    notice = page.index('data-testid="run-notice"')
    assert "Dieser Kurs wurde abgesagt." in page[notice : notice + 600]
    assert notice < page.index('id="booking-heading"')
    seats = page[page.index('id="seats-left"') :]
    assert seats.startswith('id="seats-left">–<')
    assert "Jetzt verbindlich buchen" not in page


def test_finished_run_says_so_even_before_it_is_marked_completed(client):
    run = CourseRunFactory(
        booking_opens_at=day_at(-30, 0),
        booking_closes_at=day_at(-10, 0),
        cancellation_deadline=day_at(-12, 0),
        starts_at=day_at(-5, 8),
        ends_at=day_at(-5, 16),
    )
    SessionFactory(run=run, start=day_at(-5, 8))
    page = _page(client, run)
    assert "Dieser Kurs hat bereits stattgefunden." in page
    assert page.count("(vorbei)") == 2  # booking window and free cancellation


def test_a_run_ahead_has_no_notice_and_no_past_deadline(client):
    run = CourseRunFactory()
    SessionFactory(run=run)
    page = _page(client, run)
    assert 'data-testid="run-notice"' not in page
    assert "(vorbei)" not in page


def test_english_page_shows_day_first_dates(client):
    deadline = timezone.make_aware(dt.datetime(2027, 3, 1, 14, 30))
    run = CourseRunFactory(
        booking_opens_at=day_at(-3, 0),
        booking_closes_at=deadline + dt.timedelta(days=2),
        cancellation_deadline=deadline,
        starts_at=deadline + dt.timedelta(days=5),
        ends_at=deadline + dt.timedelta(days=5, hours=8),
    )
    page = _page(client, run, HTTP_ACCEPT_LANGUAGE="en")
    assert "01/03/2027 14:30" in page
    assert "03/01/2027" not in page


def test_booking_after_the_free_cancellation_deadline_asks_for_confirmation_first(client):
    from courses.models import Enrolment
    from tests.courses.booking_fixtures import verified_trainee

    run = CourseRunFactory(cancellation_deadline=day_at(-1, 0), capacity=5, min_participants=0)
    SessionFactory(run=run)
    user = verified_trainee()
    client.force_login(user)
    assert 'name="late_ok"' in _page(client, run)

    refused = client.post(f"/runs/{run.pk}/book/", follow=True)
    assert "bestätigen Sie" in refused.content.decode()
    assert not Enrolment.objects.filter(participant=user).exists()

    client.post(f"/runs/{run.pk}/book/", {"late_ok": "1"})
    assert Enrolment.objects.filter(participant=user, run=run).exists()


def test_confirmation_mail_does_not_promise_an_expired_deadline():
    from courses.emails import enrolment_email
    from tests.factories import EnrolmentFactory

    late = EnrolmentFactory(run=CourseRunFactory(cancellation_deadline=day_at(-1, 0)))
    early = EnrolmentFactory(run=CourseRunFactory())
    late_body = enrolment_email(late, "confirmation").body
    assert "Stornieren können Sie bis" not in late_body
    assert "Frist für eine kostenlose Stornierung ist abgelaufen" in late_body
    assert "Stornieren können Sie bis" in enrolment_email(early, "confirmation").body


def test_cancelling_asks_first_and_says_what_happened(client):
    from courses.models import Enrolment
    from tests.factories import EnrolmentFactory

    run = CourseRunFactory(capacity=1, min_participants=0)
    SessionFactory(run=run)
    seated = EnrolmentFactory(run=run, status=Enrolment.Status.CONFIRMED)
    waiting = EnrolmentFactory(run=run, status=Enrolment.Status.WAITLISTED, waitlist_seq=1)

    client.force_login(waiting.participant)
    my = client.get("/my/").content.decode()
    assert f'href="/my/enrolments/{waiting.pk}/cancel/"' in my
    question = client.get(f"/my/enrolments/{waiting.pk}/cancel/")
    assert "Von der Warteliste abmelden?" in question.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.WAITLISTED  # asking changed nothing
    done = client.post(f"/my/enrolments/{waiting.pk}/cancel/", follow=True).content.decode()
    assert "Sie stehen nicht mehr auf der Warteliste." in done

    client.force_login(seated.participant)
    assert (
        "Anmeldung wirklich stornieren?"
        in client.get(f"/my/enrolments/{seated.pk}/cancel/").content.decode()
    )
