"""Something behind every URL: one of each object a page or an operation can name, and a user
for each role, so that the fuzz reaches the forms and not only the 404s."""

import datetime as dt
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from certificates.models import Certificate
from certificates.snapshot import build_data
from core.tokens import token_digest
from courses.models import Attendance, CalendarFeed, Enrolment
from demand.models import CourseRequest, FeedbackQuestion, Interest
from people.models import Membership
from tests.factories import (
    BusinessFactory,
    CourseFactory,
    CourseRunFactory,
    EnrolmentFactory,
    EquipmentFactory,
    MembershipFactory,
    SchoolFactory,
    SessionFactory,
    TraineeProfileFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.timeutils import day_at
from workshops.models import EquipmentReservation, MaintenanceSchedule

ROLES = ["anonymous", "admin", "coordinator", "instructor", "trainee", "business"]


def build_world() -> SimpleNamespace:
    school = SchoolFactory()
    business = BusinessFactory()
    admin = UserFactory(is_staff=True, is_superuser=True)
    MembershipFactory(
        user=admin, role=Membership.Role.DISTRICT_ADMIN, school=None, district=school.district
    )
    coordinator = MembershipFactory(role=Membership.Role.COORDINATOR, school=school).user
    instructor = MembershipFactory(role=Membership.Role.INSTRUCTOR, school=school).user
    contact = MembershipFactory(
        role=Membership.Role.BUSINESS_CONTACT, school=None, business=business
    ).user
    trainee = TraineeProfileFactory(business=business).user

    workshop = WorkshopFactory(school=school, seats=20)
    equipment = EquipmentFactory(workshop=workshop)
    course = CourseFactory(school=school)
    run = CourseRunFactory(course=course, workshop=workshop, instructor=instructor)
    session = SessionFactory(run=run)
    past_run = CourseRunFactory(
        course=course,
        workshop=workshop,
        instructor=instructor,
        booking_opens_at=day_at(-30),
        booking_closes_at=day_at(-20),
        cancellation_deadline=day_at(-21),
        starts_at=day_at(-10),
        ends_at=day_at(-10, 16),
    )
    past_session = SessionFactory(run=past_run, start=day_at(-10), end=day_at(-10, 16))
    enrolment = EnrolmentFactory(run=run, participant=trainee)
    past_enrolment = EnrolmentFactory(run=past_run, participant=trainee)
    Attendance.objects.create(
        enrolment=past_enrolment, session=past_session, status=Attendance.Status.PRESENT
    )
    pending = EnrolmentFactory(
        run=run,
        status=Enrolment.Status.PENDING,
        approval_token_hash=token_digest("approval-token-fuzz"),
        business=business,
        confirmed_at=None,
    )
    issued_at = timezone.now() - dt.timedelta(days=1)
    certificate = Certificate(
        enrolment=past_enrolment,
        number="FUZZ-2025-0001",
        verification_code="FUZZ-CODE-0001",
        issued_at=issued_at,
        data=build_data(
            enrolment=past_enrolment,
            number="FUZZ-2025-0001",
            code="FUZZ-CODE-0001",
            issued_at=issued_at,
        ),
    )
    certificate.pdf.save("c.pdf", ContentFile(b"%PDF-1.4 fuzz"), save=False)
    certificate.save()
    feed = CalendarFeed.objects.create(token_hash=token_digest("feed-token-fuzz"), school=school)
    reservation = EquipmentReservation.objects.create(
        equipment=equipment, start=day_at(40), end=day_at(40, 12), purpose="Fuzz"
    )
    schedule = MaintenanceSchedule.objects.create(
        school=school, equipment=equipment, interval_days=30, description="Fuzz"
    )
    interest = Interest.objects.create(
        user=trainee, course=course, expires_at=timezone.now() + dt.timedelta(days=30)
    )
    request = CourseRequest.objects.create(
        business=business, requested_by=contact, topic=course.topic, school=school, title="Fuzz"
    )
    question = FeedbackQuestion.objects.create(course=course, text_de="Gut?")
    objects = [
        school,
        business,
        admin,
        coordinator,
        instructor,
        contact,
        trainee,
        workshop,
        equipment,
        course,
        run,
        session,
        past_run,
        past_session,
        enrolment,
        past_enrolment,
        pending,
        certificate,
        feed,
        reservation,
        schedule,
        interest,
        request,
        question,
    ]
    return SimpleNamespace(
        users={
            "anonymous": None,
            "admin": admin,
            "coordinator": coordinator,
            "instructor": instructor,
            "trainee": trainee,
            "business": contact,
        },
        ids=sorted({obj.pk for obj in objects}),
        strings=[
            certificate.verification_code,
            "checkin-token-fuzz",
            "approval-token-fuzz",
            "feed-token-fuzz",
            "csv",
            "xlsx",
            "json",
            business.member_number,
        ],
    )
