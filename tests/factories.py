"""factory_boy factories for the whole domain, shared by every test folder."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from courses.models import Course, CourseEquipment, CourseRun, Enrolment, Session, Topic
from people.models import (
    Business,
    Chamber,
    District,
    Employment,
    Membership,
    School,
    TraineeProfile,
    User,
)
from tests.timeutils import day_at
from workshops.models import Equipment, EquipmentType, Workshop

PASSWORD = "lernwerkstatt"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Iterator(["Jörg", "Lena", "Mustafa", "Anna-Lena", "Björn", "Özlem"])
    last_name = factory.Iterator(["Müller", "Schäfer", "Weiß", "Groß", "Yılmaz", "Köhler"])
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy hook signature
        if create:
            obj.save()


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    name = "Landkreis Musterland"
    code = "musterland"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Berufsbildende Schule {n}")
    code = factory.Sequence(lambda n: f"BBS{n}")
    city = "Lüneburg"


class ChamberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chamber

    name = factory.Sequence(lambda n: f"Handwerkskammer {n}")
    code = factory.Sequence(lambda n: f"HWK{n}")
    kind = Chamber.Kind.HWK


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business

    name = factory.Sequence(lambda n: f"Tischlerei Schröder {n}")
    chamber = factory.SubFactory(ChamberFactory)
    member_number = factory.Sequence(lambda n: f"M{n:05d}")
    city = "Celle"


class TraineeProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TraineeProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    business = factory.SubFactory(BusinessFactory)
    occupation = "Tischler:in"
    kind = TraineeProfile.Kind.APPRENTICE

    @factory.post_generation
    def _employment(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy hook signature
        """The employer on a profile is the business of a confirmed employment: make one."""
        if create and obj.business_id:
            Employment.objects.create(
                user=obj.user,
                business_id=obj.business_id,
                status=Employment.Status.CONFIRMED,
                source=Employment.Source.MIGRATION,
                decided_at=timezone.now(),
            )


def trainee(**kwargs) -> User:
    return TraineeProfileFactory(**kwargs).user


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Membership.Role.COORDINATOR
    school = factory.SubFactory(SchoolFactory)


def coordinator(school=None) -> User:
    return MembershipFactory(
        role=Membership.Role.COORDINATOR, school=school or SchoolFactory()
    ).user


def instructor(school=None) -> User:
    return MembershipFactory(role=Membership.Role.INSTRUCTOR, school=school or SchoolFactory()).user


def business_contact(business=None) -> User:
    return MembershipFactory(
        role=Membership.Role.BUSINESS_CONTACT, school=None, business=business or BusinessFactory()
    ).user


def district_admin(district=None) -> User:
    return MembershipFactory(
        role=Membership.Role.DISTRICT_ADMIN, school=None, district=district or DistrictFactory()
    ).user


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Lernwerkstatt {n}")
    room = factory.Sequence(lambda n: f"A{n:03d}")
    seats = 16


class EquipmentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquipmentType

    name = factory.Sequence(lambda n: f"FDM-3D-Drucker {n}")
    slug = factory.Sequence(lambda n: f"fdm-{n}")
    participants_per_unit = 2
    maintenance_interval_days = 90


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipment

    school = factory.LazyAttribute(lambda o: o.workshop.school)
    workshop = factory.SubFactory(WorkshopFactory)
    type = factory.SubFactory(EquipmentTypeFactory)
    inventory_number = factory.Sequence(lambda n: f"INV-{n:05d}")
    name = "Prusa MK4"
    manufacturer = "Prusa"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = "3D-Druck"
    slug = "3d-druck"


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    school = factory.SubFactory(SchoolFactory)
    topic = factory.SubFactory(TopicFactory)
    title = factory.Sequence(lambda n: f"Einführung in den 3D-Druck {n}")
    description = "Grundlagen der additiven Fertigung für Handwerksbetriebe."
    hours = Decimal("16")
    learning_outcomes = "Druckverfahren unterscheiden\nModelle für den Druck vorbereiten"


class CourseEquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseEquipment

    course = factory.SubFactory(CourseFactory)
    equipment_type = factory.SubFactory(EquipmentTypeFactory)


class CourseRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseRun

    course = factory.SubFactory(CourseFactory)
    school = factory.LazyAttribute(lambda o: o.course.school)
    workshop = factory.SubFactory(WorkshopFactory, school=factory.SelfAttribute("..school"))
    capacity = 12
    min_participants = 4
    booking_opens_at = factory.LazyFunction(lambda: day_at(-10, 0))
    booking_closes_at = factory.LazyFunction(lambda: day_at(20, 0))
    cancellation_deadline = factory.LazyFunction(lambda: day_at(18, 0))
    status = CourseRun.Status.PUBLISHED
    starts_at = factory.LazyFunction(lambda: day_at(21, 8))
    ends_at = factory.LazyFunction(lambda: day_at(21, 16))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    run = factory.SubFactory(CourseRunFactory)
    workshop = factory.LazyAttribute(lambda o: o.run.workshop)
    instructor = factory.LazyAttribute(lambda o: o.run.instructor)
    start = factory.LazyFunction(lambda: day_at(21, 8))
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=8))


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    run = factory.SubFactory(CourseRunFactory)
    participant = factory.LazyFunction(trainee)
    participant_name = factory.LazyAttribute(
        lambda o: o.participant.get_full_name() if o.participant else ""
    )
    business = factory.LazyAttribute(
        lambda o: getattr(getattr(o.participant, "trainee_profile", None), "business", None)
    )
    status = Enrolment.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)
