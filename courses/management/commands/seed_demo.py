"""Demo data: one district with its schools, workshops, equipment, courses, runs, chambers,
businesses, trainees and enrolments, plus one login per role (password `lernwerkstatt`).

Idempotent: every object is found by a natural key (e-mail, code, inventory number, title, the n-th
run of a course) before it is created, and the rows that hang off an object (sessions, enrolments,
maintenance records) are only added while that object has none. Running it twice, on any day,
changes nothing. Randomness comes from `random.Random(seed)`, so the plan is the same every time.

The demo seed is a composition root like `config/`: it builds the whole domain, so it imports the
apps above `people` (see the import-linter contract's `ignore_imports` in pyproject.toml)."""

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from courses.demo_alive import liven
from courses.demo_competences import assign_demo_competences
from courses.demo_people import (
    ADMIN_EMAIL,
    BUSINESS_EMAIL,
    BUSINESSES,
    CHAMBERS,
    DEMO_PASSWORD,
    FIRST_NAMES,
    LAST_NAMES,
    STAFF,
    TRAINEE_EMAIL,
    ascii_slug,
)
from courses.demo_plan import (
    COURSES,
    DISTRICT,
    EQUIPMENT_STATUS,
    EQUIPMENT_TYPES,
    MODELS,
    SCHOOLS,
    TOPICS,
    WORKSHOPS,
)
from courses.demo_runs import DemoRuns
from courses.models import (
    Course,
    CourseEquipment,
    CourseRun,
    Enrolment,
    Session,
    Topic,
)
from courses.signals import demo_seeded
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
from workshops.models import (
    Equipment,
    EquipmentType,
    MaintenanceRecord,
    Workshop,
)


class Command(DemoRuns, BaseCommand):
    help = "Load the demo district (idempotent): schools, equipment, courses, runs, people."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=4711, help="seed of the random generator")

    def handle(self, *args, seed: int, **options):
        self.seed = seed
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.today = timezone.localdate()
        self.now = timezone.now()
        # One hash for every demo login: hashing ~10 passwords with PBKDF2 would take seconds.
        self.password_hash = make_password(DEMO_PASSWORD)
        with transaction.atomic():
            self._seed()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready: "
                f"{School.objects.count()} schools, {Workshop.objects.count()} workshops, "
                f"{Equipment.objects.count()} equipment items, {Course.objects.count()} courses, "
                f"{CourseRun.objects.count()} runs, {Session.objects.count()} sessions, "
                f"{TraineeProfile.objects.count()} trainees, "
                f"{Enrolment.objects.count()} enrolments. Log in as {ADMIN_EMAIL} "
                "(or koordination@, ausbilder@, azubi@, betrieb@demo.example) "
                f"with password '{DEMO_PASSWORD}'."
            )
        )

    def _rng(self, *key) -> random.Random:
        """A generator per part of the plan: what one run draws never shifts what another draws."""
        return random.Random(":".join(str(k) for k in (self.seed, *key)))

    # --- organisations and people -------------------------------------------------------------

    def _seed(self):
        district, _ = District.objects.get_or_create(
            code=DISTRICT[1], defaults={"name": DISTRICT[0]}
        )
        self.schools = {}
        for code, name, street, postal_code, city in SCHOOLS:
            self.schools[code], _ = School.objects.get_or_create(
                code=code,
                defaults={
                    "district": district,
                    "name": name,
                    "street": street,
                    "postal_code": postal_code,
                    "city": city,
                    "email": f"lernwerkstatt@{code.lower()}.demo.example",
                    "certificate_signatory": "Schulleitung",
                },
            )
        self.chambers = {
            code: Chamber.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})[0]
            for code, name, kind in CHAMBERS
        }
        self.businesses = []
        for name, chamber, number, city, _occupation in BUSINESSES:
            business, _ = Business.objects.get_or_create(
                chamber=self.chambers[chamber],
                member_number=number,
                defaults={
                    "name": name,
                    "city": city,
                    "email": f"info@{ascii_slug(name.split()[0])}-{number.lower()}.demo.example",
                },
            )
            self.businesses.append(business)

        self.staff = {}
        for email, first, last, role, school in STAFF:
            user = self._user(email, first, last, login=True)
            self.staff[email] = user
            scope = (
                {"district": district}
                if role == Membership.Role.DISTRICT_ADMIN
                else {"school": self.schools[school]}
            )
            Membership.objects.get_or_create(user=user, role=role, **scope)
        admin = self.staff[ADMIN_EMAIL]
        if not (admin.is_staff and admin.is_superuser):
            admin.is_staff = admin.is_superuser = True
            admin.save(update_fields=["is_staff", "is_superuser"])

        self.demo_business = self.businesses[0]
        contact = self._user(BUSINESS_EMAIL, "Thomas", "Schröder", login=True)
        Membership.objects.get_or_create(
            user=contact, role=Membership.Role.BUSINESS_CONTACT, business=self.demo_business
        )
        self.business_contact = contact

        self._trainees()
        self._equipment()
        self._courses()
        self._runs()
        # Bookings dated inside their windows, maintenance kept up (courses/demo_alive.py).
        liven(now=self.now, rng=self._rng)
        # The apps above courses (demand: interest, requests, feedback) add theirs.
        demo_seeded.send(sender=None, rng=self._rng, now=self.now)

    def _user(self, email: str, first: str, last: str, *, login: bool) -> User:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "password": self.password_hash if login else make_password(None),
            },
        )
        # allauth asks for a verified address before login (ACCOUNT_EMAIL_VERIFICATION=mandatory).
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _trainees(self):
        """60 trainees spread over the businesses; the first is the demo trainee azubi@."""
        rng = self._rng("trainees")
        self.trainees: list[User] = []
        year = self.today.year
        for i in range(60):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            business = self.businesses[i % len(self.businesses)]
            occupation = BUSINESSES[i % len(BUSINESSES)][4]
            kind = TraineeProfile.Kind.STAFF if i % 10 == 9 else TraineeProfile.Kind.APPRENTICE
            start_year = year - 1 - (i % 3)
            if i == 0:
                email, first, last = TRAINEE_EMAIL, "Lena", "Müßig"
                business, occupation, kind = (
                    self.demo_business,
                    BUSINESSES[0][4],
                    TraineeProfile.Kind.APPRENTICE,
                )
            else:
                email = f"{ascii_slug(first)}.{ascii_slug(last)}.{i:02d}@azubi.demo.example"
            user = self._user(email, first, last, login=(i == 0))
            chamber = business.chamber.code.split("-")[0]
            # The employer is a confirmed link (the profile mirrors it for lists and exports).
            Employment.objects.get_or_create(
                user=user,
                business=business,
                status=Employment.Status.CONFIRMED,
                defaults={"source": Employment.Source.MIGRATION, "decided_at": self.now},
            )
            TraineeProfile.objects.get_or_create(
                user=user,
                defaults={
                    "kind": kind,
                    "business": business,
                    "occupation": occupation
                    if kind == TraineeProfile.Kind.APPRENTICE
                    else "Geselle/Gesellin",
                    "apprenticeship_start": dt.date(start_year, 8, 1)
                    if kind == TraineeProfile.Kind.APPRENTICE
                    else None,
                    "lehrlingsrolle_number": f"{chamber}-{start_year}-{1000 + i * 37:05d}"
                    if kind == TraineeProfile.Kind.APPRENTICE
                    else None,
                },
            )
            self.trainees.append(user)

    # --- rooms and equipment ------------------------------------------------------------------

    def _equipment(self):
        self.types = {}
        for slug, name, per_unit, days, hours in EQUIPMENT_TYPES:
            self.types[slug], _ = EquipmentType.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "participants_per_unit": per_unit,
                    "maintenance_interval_days": days,
                    "maintenance_interval_hours": hours,
                },
            )
        self.workshops = {}
        rng = self._rng("equipment")
        for key, school_code, name, room, seats, items in WORKSHOPS:
            school = self.schools[school_code]
            workshop, _ = Workshop.objects.get_or_create(
                school=school,
                name=name,
                defaults={"room": room, "seats": seats, "description": f"{name} der {school.name}"},
            )
            self.workshops[key] = workshop
            for slug, units in items.items():
                for n in range(1, units + 1):
                    number = f"{school_code}-{slug.upper()}-{n:03d}"
                    manufacturer, model = MODELS[slug]
                    purchase = dt.date(2020 + rng.randrange(5), rng.randrange(1, 13), 1)
                    serial = f"{model[:3].upper()}{rng.randrange(10**6, 10**7)}"
                    hours = Decimal(rng.randrange(20, 1800))
                    equipment, created = Equipment.objects.get_or_create(
                        inventory_number=number,
                        defaults={
                            "school": school,
                            "workshop": workshop,
                            "type": self.types[slug],
                            "name": f"{manufacturer} {model}",
                            "manufacturer": manufacturer,
                            "model": model,
                            "serial_number": serial,
                            "purchase_date": purchase,
                            "operating_hours": hours,
                            "status": EQUIPMENT_STATUS.get(number, Equipment.Status.AVAILABLE),
                        },
                    )
                    if created and n <= 2:
                        self._maintenance(equipment, rng)

    def _maintenance(self, equipment: Equipment, rng: random.Random):
        MaintenanceRecord.objects.bulk_create(
            [
                MaintenanceRecord(
                    equipment=equipment,
                    kind=kind,
                    performed_on=self.today - dt.timedelta(days=days),
                    performed_by_name="Technischer Dienst Heideland",
                    operating_hours_at=max(Decimal(0), equipment.operating_hours - Decimal(days)),
                    cost=Decimal(rng.randrange(0, 400)),
                    notes=note,
                )
                for kind, days, note in (
                    (
                        MaintenanceRecord.Kind.INSPECTION,
                        20 + rng.randrange(40),
                        "Sichtprüfung und Reinigung",
                    ),
                    (
                        MaintenanceRecord.Kind.CALIBRATION,
                        120 + rng.randrange(60),
                        "Achsen kalibriert",
                    ),
                )
            ]
        )

    # --- catalogue ----------------------------------------------------------------------------

    def _courses(self):
        self.topics = {
            slug: Topic.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": text}
            )[0]
            for slug, name, text in TOPICS
        }
        self.courses = []
        for spec in COURSES:
            course, _ = Course.objects.get_or_create(
                school=self.schools[spec.school],
                title=spec.title,
                defaults={
                    "topic": self.topics[spec.topic],
                    "summary": spec.summary,
                    "description": spec.description,
                    "learning_outcomes": "\n".join(spec.outcomes),
                    "prerequisites": spec.prerequisites,
                    "hours": Decimal(spec.hours),
                    "level": spec.level,
                    "target_group": spec.target,
                },
            )
            for slug in spec.needs:
                CourseEquipment.objects.get_or_create(
                    course=course, equipment_type=self.types[slug]
                )
            self.courses.append(course)
        assign_demo_competences(self.courses)
