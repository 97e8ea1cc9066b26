"""`seed_demo`: the demo district the README promises, consistent with the domain's rules, and
idempotent (a second run, the same day or days later, changes nothing)."""

import datetime as dt
import itertools
from io import StringIO
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from courses.models import Course, CourseRun, Enrolment, Session, Topic
from people.models import Business, Chamber, Membership, School, TraineeProfile, User
from people.roles import roles_of
from workshops.models import Equipment, EquipmentType, Workshop

pytestmark = pytest.mark.django_db

DEMO = ["admin", "koordination", "ausbilder", "azubi", "betrieb"]


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    models = [
        model
        for label in ("people", "workshops", "courses", "certificates", "demand", "api", "account")
        for model in apps.get_app_config(label).get_models()
    ]
    return {model._meta.label: model.objects.count() for model in models}


def snapshot():
    return (
        list(CourseRun.objects.order_by("pk").values_list("pk", "status", "starts_at", "ends_at")),
        list(Session.objects.order_by("pk").values_list("pk", "run_id", "start", "end")),
        list(
            Enrolment.objects.order_by("pk").values_list(
                "pk", "participant_id", "status", "waitlist_seq"
            )
        ),
    )


def test_second_run_changes_nothing():
    seed()
    counts, before = table_counts(), snapshot()
    seed()
    assert table_counts() == counts
    assert snapshot() == before


def test_a_run_days_later_adds_nothing():
    seed()
    counts, before = table_counts(), snapshot()
    later = timezone.now() + dt.timedelta(days=9)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("django.utils.timezone.localdate", return_value=timezone.localdate(later)),
    ):
        seed()
    assert table_counts() == counts
    assert snapshot() == before


def test_demo_has_demand_to_show():
    """Interest on courses (the demo trainee's among it), a business's course requests (one
    answered), and feedback results past the anonymity threshold on completed runs."""
    from demand.models import MIN_ANSWERS, CourseRequest, FeedbackResponse, Interest

    seed()
    assert Interest.objects.filter(user__email="azubi@demo.example").exists()
    assert Interest.objects.values("course").distinct().count() >= 3
    assert set(CourseRequest.objects.values_list("status", flat=True)) == {"open", "answered"}
    per_run = FeedbackResponse.objects.values("run").annotate(n=Count("id"))
    assert per_run and all(row["n"] >= MIN_ANSWERS for row in per_run)


def test_the_demo_district():
    seed()
    assert School.objects.count() == 3
    assert Workshop.objects.count() == 6
    assert 35 <= Equipment.objects.count() <= 45
    assert set(EquipmentType.objects.values_list("name", flat=True)) == {
        "FDM-3D-Drucker",
        "Resin-3D-Drucker",
        "SPS-Trainer",
        "CNC-Fräse",
        "Laserschneider",
        "Roboterarm",
    }
    assert Topic.objects.count() == 5 and Course.objects.count() == 12
    assert all(c.learning_outcome_list and c.equipment_needs.exists() for c in Course.objects.all())
    assert CourseRun.objects.count() == 30
    assert sorted(Chamber.objects.values_list("kind", flat=True)) == ["hwk", "ihk"]
    assert Business.objects.count() == 8
    assert not Business.objects.filter(member_number="").exists()
    assert TraineeProfile.objects.count() == 60
    names = "".join(TraineeProfile.objects.values_list("user__last_name", flat=True))
    assert any(ch in names for ch in "äöüß")
    assert TraineeProfile.objects.exclude(lehrlingsrolle_number=None).count() >= 50

    statuses = set(CourseRun.objects.values_list("status", flat=True))
    assert statuses == {"draft", "published", "completed", "cancelled"}
    assert CourseRun.objects.filter(status="published").count() > 15
    # Every status but an open offer, which only exists between a seat freed after the
    # cancellation deadline and the waiting person's answer.
    assert set(Enrolment.objects.values_list("status", flat=True)) == set(
        Enrolment.Status.values
    ) - {Enrolment.Status.OFFERED}


def test_sessions_fit_the_rules_of_planning_and_booking():
    seed()
    today = timezone.localdate()
    sessions = list(Session.objects.all())
    for a, b in itertools.combinations(sessions, 2):
        if a.start < b.end and b.start < a.end:
            assert a.workshop_id != b.workshop_id, (a, b)
            assert a.instructor_id != b.instructor_id, (a, b)
    for run in CourseRun.objects.prefetch_related("sessions"):
        starts = sorted(s.start for s in run.sessions.all())
        ends = sorted(s.end for s in run.sessions.all())
        assert (run.starts_at, run.ends_at) == (starts[0], ends[-1])
        if run.status == "completed":
            assert run.ends_at.date() < today
        else:
            assert today < run.starts_at.date() <= today + dt.timedelta(days=92)
    # A waiting list only where the run is full, numbered 1, 2, ... in booking order.
    for run in CourseRun.objects.filter(enrolments__status="waitlisted").distinct():
        seqs = sorted(
            run.enrolments.filter(status="waitlisted").values_list("waitlist_seq", flat=True)
        )
        assert seqs == list(range(1, len(seqs) + 1))
    # Nobody sits in two sessions at once.
    for user_id, group in itertools.groupby(
        Enrolment.objects.filter(status__in=["confirmed", "pending", "waitlisted"])
        .order_by("participant_id")
        .values_list("participant_id", "run_id"),
        key=lambda row: row[0],
    ):
        run_ids = [run_id for _, run_id in group]
        days = [
            d
            for r in run_ids
            for d in Session.objects.filter(run_id=r).values_list("start", flat=True)
        ]
        assert len(days) == len(set(days)), user_id


def test_demo_accounts_log_in_with_the_documented_password(client):
    seed()
    for name in DEMO:
        email = f"{name}@demo.example"
        assert EmailAddress.objects.filter(email=email, verified=True, primary=True).exists()
        response = client.post("/accounts/login/", {"login": email, "password": "lernwerkstatt"})
        assert response.status_code == 302, name
        assert User.objects.get(pk=client.session["_auth_user_id"]).email == email
        client.logout()


def test_demo_accounts_have_their_roles():
    seed()
    users = {name: User.objects.get(email=f"{name}@demo.example") for name in DEMO}
    bbs1 = School.objects.get(code="BBS1")
    admin = users["admin"]
    assert admin.is_staff and admin.is_superuser and roles_of(admin).is_district_admin
    assert roles_of(users["koordination"]).coordinator_school_ids == {bbs1.pk}
    assert roles_of(users["ausbilder"]).instructor_school_ids == {bbs1.pk}
    assert users["ausbilder"].instructed_runs.count() >= 3
    profile = users["azubi"].trainee_profile
    assert profile.kind == "apprentice" and profile.business is not None
    assert Membership.objects.filter(
        user=users["betrieb"], role="business_contact", business=profile.business
    ).exists()
    azubi_statuses = set(users["azubi"].enrolments.values_list("status", flat=True))
    assert {"confirmed", "waitlisted", "completed", "cancelled"} <= azubi_statuses
    for name in ("koordination", "ausbilder", "azubi", "betrieb"):
        assert not users[name].is_staff


def test_catalogue_shows_the_demo_runs(client):
    seed()
    page = client.get("/").content.decode()
    published = CourseRun.objects.filter(status="published").select_related("course")
    assert sum(run.course.title in page for run in published) >= 5
    assert "Berufsbildende Schulen I Heidestadt" in page


def test_demo_courses_teach_digcomp_competences_the_moochub_feed_shows(client):
    from tests.api.test_moochub import URL, schema_errors

    seed()
    assert all(course.competences for course in Course.objects.all())
    body = client.get(URL).json()
    assert body["data"] and schema_errors(body) == []
    assert all(course["attributes"]["teaches"] for course in body["data"])


def test_demo_looks_alive():
    """Completed runs have their certificates, every booking lies inside its run's booking window
    (a run with bookings has opened), and maintenance is kept up: at most a couple of items a few
    days overdue, none for years."""
    from django.db.models import F

    from certificates.models import Certificate
    from workshops.selectors import maintenance_overview

    seed()
    completed = Enrolment.objects.filter(status="completed", run__status="completed")
    assert completed.exists()
    assert Certificate.objects.filter(enrolment__in=completed).count() == completed.count()
    now = timezone.now()
    assert not Enrolment.objects.filter(created_at__lt=F("run__booking_opens_at")).exists()
    assert not Enrolment.objects.filter(created_at__gt=F("run__booking_closes_at")).exists()
    assert not Enrolment.objects.filter(confirmed_at__gt=now).exists()
    today = timezone.localdate()
    overdue = [
        d
        for d in maintenance_overview(list(School.objects.values_list("pk", flat=True)))
        if d.state == "overdue"
    ]
    assert 1 <= len(overdue) <= 3
    assert all(d.due_on and today - d.due_on < dt.timedelta(days=30) for d in overdue)
