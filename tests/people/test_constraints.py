"""Each rule the database holds: a violating save fails with IntegrityError, and the allowed
neighbour case (a cancelled enrolment plus a new one, a revoked certificate plus a new one)
saves."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates.models import Certificate, CertificateSequence
from courses.models import Attendance, CalendarFeed, CourseRun, Enrolment, Session
from people.models import Business, Membership, TraineeProfile, User
from tests.factories import (
    BusinessFactory,
    ChamberFactory,
    CourseFactory,
    CourseRunFactory,
    EnrolmentFactory,
    EquipmentFactory,
    EquipmentTypeFactory,
    SchoolFactory,
    SessionFactory,
    TraineeProfileFactory,
    UserFactory,
    WorkshopFactory,
    trainee,
)
from workshops.models import (
    Equipment,
    EquipmentReservation,
    EquipmentType,
    MaintenanceRecord,
    MaintenanceSchedule,
    Workshop,
)

pytestmark = pytest.mark.django_db


def violates(make):
    """The save fails in the database (not in Python validation) and leaves nothing behind."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make()
    return True


# --- people ------------------------------------------------------------------------------------


def test_email_is_unique():
    UserFactory(email="lena@example.org")
    assert violates(lambda: User.objects.create(email="lena@example.org"))


def test_membership_scope_matches_role():
    user, school, business = UserFactory(), SchoolFactory(), BusinessFactory()
    district = school.district
    R = Membership.Role
    assert violates(lambda: Membership.objects.create(user=user, role=R.COORDINATOR))
    assert violates(
        lambda: Membership.objects.create(user=user, role=R.INSTRUCTOR, business=business)
    )
    assert violates(
        lambda: Membership.objects.create(
            user=user, role=R.BUSINESS_CONTACT, business=business, school=school
        )
    )
    assert violates(lambda: Membership.objects.create(user=user, role=R.BUSINESS_CONTACT))
    assert violates(
        lambda: Membership.objects.create(
            user=user, role=R.DISTRICT_ADMIN, district=district, school=school
        )
    )
    # The right scope for each role saves.
    Membership.objects.create(user=user, role=R.COORDINATOR, school=school)
    Membership.objects.create(user=user, role=R.INSTRUCTOR, school=school)
    Membership.objects.create(user=user, role=R.BUSINESS_CONTACT, business=business)
    Membership.objects.create(user=user, role=R.DISTRICT_ADMIN, district=district)
    assert user.memberships.count() == 4


def test_membership_is_not_granted_twice():
    user, school, business = UserFactory(), SchoolFactory(), BusinessFactory()
    Membership.objects.create(user=user, role="coordinator", school=school)
    Membership.objects.create(user=user, role="business_contact", business=business)
    Membership.objects.create(user=user, role="district_admin", district=school.district)
    assert violates(lambda: Membership.objects.create(user=user, role="coordinator", school=school))
    assert violates(
        lambda: Membership.objects.create(user=user, role="business_contact", business=business)
    )
    assert violates(
        lambda: Membership.objects.create(
            user=user, role="district_admin", district=school.district
        )
    )


def test_member_number_unique_per_chamber_but_blank_may_repeat():
    chamber = ChamberFactory()
    BusinessFactory(chamber=chamber, member_number="HWK-1")
    assert violates(
        lambda: Business.objects.create(name="Zweitname", chamber=chamber, member_number="HWK-1")
    )
    BusinessFactory(chamber=ChamberFactory(), member_number="HWK-1")  # another chamber: fine
    Business.objects.create(name="Ohne Nummer 1", chamber=chamber, member_number="")
    Business.objects.create(name="Ohne Nummer 2", chamber=chamber, member_number="")


def test_lehrlingsrolle_number_is_unique():
    TraineeProfileFactory(lehrlingsrolle_number="HWK-2025-00001")
    assert violates(
        lambda: TraineeProfile.objects.create(
            user=UserFactory(), lehrlingsrolle_number="HWK-2025-00001"
        )
    )
    # Without a number (staff of a business) any number of profiles save.
    TraineeProfileFactory(lehrlingsrolle_number=None)
    TraineeProfileFactory(lehrlingsrolle_number=None)


# --- workshops ---------------------------------------------------------------------------------


def test_inventory_number_is_unique():
    EquipmentFactory(inventory_number="BBS1-FDM-001")
    workshop = WorkshopFactory()
    assert violates(
        lambda: Equipment.objects.create(
            school=workshop.school,
            workshop=workshop,
            type=EquipmentTypeFactory(),
            inventory_number="BBS1-FDM-001",
        )
    )


def test_workshop_seats_not_negative_and_name_unique_per_school():
    school = SchoolFactory()
    assert violates(lambda: Workshop.objects.create(school=school, name="Raum", seats=-1))
    Workshop.objects.create(school=school, name="Raum", seats=0)
    assert violates(lambda: Workshop.objects.create(school=school, name="Raum", seats=4))


def test_equipment_type_serves_at_least_one_participant():
    assert violates(
        lambda: EquipmentType.objects.create(name="Leer", slug="leer", participants_per_unit=0)
    )


def test_operating_hours_and_maintenance_cost_not_negative():
    item = EquipmentFactory()
    item.operating_hours = Decimal("-1")
    assert violates(item.save)
    assert violates(
        lambda: MaintenanceRecord.objects.create(
            equipment=EquipmentFactory(),
            kind="repair",
            performed_on=dt.date.today(),
            cost=Decimal("-5"),
        )
    )


def test_maintenance_schedule_names_item_or_type_and_an_interval():
    item = EquipmentFactory()
    school = item.school
    assert violates(lambda: MaintenanceSchedule.objects.create(school=school, interval_days=30))
    assert violates(
        lambda: MaintenanceSchedule.objects.create(
            school=school, equipment=item, equipment_type=item.type, interval_days=30
        )
    )
    assert violates(lambda: MaintenanceSchedule.objects.create(school=school, equipment=item))
    MaintenanceSchedule.objects.create(school=school, equipment=item, interval_hours=200)


def test_reservation_ends_after_it_starts():
    item = EquipmentFactory()
    start = timezone.now()
    assert violates(
        lambda: EquipmentReservation.objects.create(equipment=item, start=start, end=start)
    )
    assert violates(
        lambda: EquipmentReservation.objects.create(
            equipment=item, start=start, end=start - dt.timedelta(hours=1)
        )
    )
    EquipmentReservation.objects.create(
        equipment=item, start=start, end=start + dt.timedelta(hours=1)
    )


# --- courses -----------------------------------------------------------------------------------


def test_course_hours_positive_and_threshold_a_percentage():
    course = CourseFactory()
    for field, value in (("hours", Decimal("0")), ("attendance_threshold", 101)):
        setattr(course, field, value)
        assert violates(course.save)
        course.refresh_from_db()


def _run_values(**overrides):
    course = CourseFactory()
    now = timezone.now()
    values = {
        "course": course,
        "school": course.school,
        "workshop": WorkshopFactory(school=course.school),
        "capacity": 10,
        "min_participants": 2,
        "booking_opens_at": now,
        "booking_closes_at": now + dt.timedelta(days=10),
        "cancellation_deadline": now + dt.timedelta(days=8),
    }
    values.update(overrides)
    return values


def test_run_capacity_not_negative():
    assert violates(
        lambda: CourseRun.objects.create(**_run_values(capacity=-1, min_participants=0))
    )


def test_run_minimum_not_above_capacity():
    assert violates(lambda: CourseRun.objects.create(**_run_values(capacity=4, min_participants=5)))
    CourseRun.objects.create(**_run_values(capacity=4, min_participants=4))


def test_run_booking_window_in_order_and_price_not_negative():
    now = timezone.now()
    assert violates(
        lambda: CourseRun.objects.create(**_run_values(booking_opens_at=now, booking_closes_at=now))
    )
    assert violates(lambda: CourseRun.objects.create(**_run_values(price_business=Decimal("-1"))))


def test_session_ends_after_it_starts():
    run = CourseRunFactory()
    start = timezone.now()
    for end in (start, start - dt.timedelta(minutes=1)):
        assert violates(
            lambda end=end: Session.objects.create(
                run=run, workshop=run.workshop, start=start, end=end
            )
        )


def test_one_active_enrolment_per_participant_and_run():
    run, person = CourseRunFactory(), trainee()
    first = EnrolmentFactory(run=run, participant=person)
    for status in ("confirmed", "pending"):
        assert violates(
            lambda status=status: EnrolmentFactory(run=run, participant=person, status=status)
        )
    assert violates(
        lambda: EnrolmentFactory(run=run, participant=person, status="waitlisted", waitlist_seq=1)
    )
    # Cancelled, the person may book again; and cancel again, and book again.
    first.status = Enrolment.Status.CANCELLED
    first.save()
    second = EnrolmentFactory(run=run, participant=person)
    second.status = Enrolment.Status.CANCELLED
    second.save()
    EnrolmentFactory(run=run, participant=person)
    assert Enrolment.objects.filter(run=run, participant=person).count() == 3


def test_waitlisted_needs_a_sequence_unique_in_its_run():
    run = CourseRunFactory()
    assert violates(lambda: EnrolmentFactory(run=run, status="waitlisted", waitlist_seq=None))
    EnrolmentFactory(run=run, status="waitlisted", waitlist_seq=1)
    assert violates(lambda: EnrolmentFactory(run=run, status="waitlisted", waitlist_seq=1))
    EnrolmentFactory(run=CourseRunFactory(), status="waitlisted", waitlist_seq=1)  # other run: fine


def test_attendance_once_per_enrolment_and_session():
    enrolment = EnrolmentFactory()
    session = SessionFactory(run=enrolment.run)
    Attendance.objects.create(enrolment=enrolment, session=session, status="present")
    assert violates(
        lambda: Attendance.objects.create(enrolment=enrolment, session=session, status="absent")
    )


def test_calendar_feed_has_exactly_one_scope():
    school = SchoolFactory()
    assert violates(lambda: CalendarFeed.objects.create(token_hash="a"))
    assert violates(
        lambda: CalendarFeed.objects.create(token_hash="b", school=school, instructor=UserFactory())
    )
    CalendarFeed.objects.create(token_hash="c", school=school)
    assert violates(lambda: CalendarFeed.objects.create(token_hash="c", instructor=UserFactory()))


# --- certificates ------------------------------------------------------------------------------


def _certificate(enrolment, number):
    return Certificate.objects.create(
        enrolment=enrolment,
        number=number,
        verification_code=f"code-{number}",
        issued_at=timezone.now(),
    )


def test_one_valid_certificate_per_enrolment():
    enrolment = EnrolmentFactory(status=Enrolment.Status.COMPLETED)
    first = _certificate(enrolment, "BBS1-2026-0001")
    assert violates(lambda: _certificate(enrolment, "BBS1-2026-0002"))
    first.revoked_at = timezone.now()
    first.save()
    _certificate(enrolment, "BBS1-2026-0003")  # after revocation a new one is allowed
    assert violates(lambda: _certificate(EnrolmentFactory(), "BBS1-2026-0003"))  # numbers unique


def test_certificate_sequence_once_per_school_and_year():
    school = SchoolFactory()
    CertificateSequence.objects.create(school=school, year=2026)
    assert violates(lambda: CertificateSequence.objects.create(school=school, year=2026))
