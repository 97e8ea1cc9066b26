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
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core.tokens import token_digest
from courses.demo_alive import liven
from courses.demo_competences import assign_demo_competences
from courses.models import (
    Attendance,
    Course,
    CourseEquipment,
    CourseRun,
    Enrolment,
    Session,
    SessionReservation,
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
    EquipmentReservation,
    EquipmentType,
    MaintenanceRecord,
    Workshop,
)

DEMO_PASSWORD = "lernwerkstatt"  # noqa: S105 - the documented password of the demo accounts
ADMIN_EMAIL = "admin@demo.example"
COORDINATOR_EMAIL = "koordination@demo.example"
INSTRUCTOR_EMAIL = "ausbilder@demo.example"
TRAINEE_EMAIL = "azubi@demo.example"
BUSINESS_EMAIL = "betrieb@demo.example"

SESSION_START = dt.time(8, 0)
SESSION_END = dt.time(15, 30)
SESSION_HOURS = 8  # Unterrichtsstunden per day (45 min each, plus breaks)

# --- the plan: plain data --------------------------------------------------------------------

DISTRICT = ("Landkreis Heideland", "heideland")

SCHOOLS = [
    # code, name, street, postal code, city
    ("BBS1", "Berufsbildende Schulen I Heidestadt", "Gewerbestraße 12", "21335", "Heidestadt"),
    ("BBS2", "Berufsbildende Schulen Mühlenfeld", "Am Schäferhof 3", "29525", "Mühlenfeld"),
    ("BBS3", "Berufsbildende Schule Großenwörde", "Lößweg 7", "29221", "Großenwörde"),
]

EQUIPMENT_TYPES = [
    # slug, name, participants per unit, maintenance interval (days), (hours)
    ("fdm", "FDM-3D-Drucker", 2, 90, 500),
    ("resin", "Resin-3D-Drucker", 3, 60, None),
    ("sps", "SPS-Trainer", 2, 365, None),
    ("cnc", "CNC-Fräse", 4, 180, 400),
    ("laser", "Laserschneider", 4, 90, 300),
    ("robot", "Roboterarm", 3, 180, 1000),
]

MODELS = {
    "fdm": ("Prusa Research", "MK4"),
    "resin": ("Formlabs", "Form 3+"),
    "sps": ("Siemens", "SIMATIC S7-1500 Trainer"),
    "cnc": ("Stepcraft", "D.840"),
    "laser": ("Trotec", "Speedy 100"),
    "robot": ("Universal Robots", "UR3e"),
}

WORKSHOPS = [
    # key, school, name, room, seats, {type: units}
    (
        "bbs1-af",
        "BBS1",
        "Lernwerkstatt Additive Fertigung",
        "A 0.12",
        16,
        {"fdm": 6, "resin": 2, "laser": 1},
    ),
    ("bbs1-au", "BBS1", "Lernwerkstatt Automatisierung", "B 1.04", 12, {"sps": 5, "robot": 2}),
    (
        "bbs2-df",
        "BBS2",
        "Lernwerkstatt Digitale Fertigung",
        "H 002",
        14,
        {"cnc": 3, "laser": 2, "fdm": 3},
    ),
    ("bbs2-i4", "BBS2", "Industrie-4.0-Labor", "H 105", 12, {"sps": 4, "robot": 2}),
    ("bbs3-ms", "BBS3", "MakerSpace Handwerk", "W 01", 16, {"fdm": 4, "laser": 2, "resin": 2}),
    ("bbs3-cnc", "BBS3", "CNC-Werkstatt", "W 03", 10, {"cnc": 3}),
]

# Items that are not available, by inventory number: they lower the seats of runs in their room.
EQUIPMENT_STATUS = {
    "BBS1-FDM-006": Equipment.Status.MAINTENANCE,
    "BBS2-FDM-003": Equipment.Status.RETIRED,
    "BBS2-SPS-004": Equipment.Status.DEFECTIVE,
}

TOPICS = [
    ("3d-druck", "3D-Druck", "Additive Fertigung vom Modell bis zum fertigen Teil."),
    ("automatisierung", "Automatisierung und SPS", "Steuerungstechnik für Handwerk und Industrie."),
    ("cnc", "CNC-Technik", "Rechnergestütztes Fräsen vom CAD-Modell zum Werkstück."),
    ("laser", "Lasertechnik", "Gravieren und Schneiden mit dem Laser."),
    ("robotik", "Robotik", "Kollaborierende Roboter sicher einsetzen und programmieren."),
]


@dataclass(frozen=True)
class CourseSpec:
    school: str
    workshop: str
    topic: str
    title: str
    summary: str
    description: str
    outcomes: tuple[str, ...]
    needs: tuple[str, ...]
    hours: int
    level: str = Course.Level.BEGINNER
    target: str = Course.TargetGroup.BOTH
    prerequisites: str = ""
    runs: int = 2
    price: Decimal = Decimal("0")


COURSES = [
    CourseSpec(
        "BBS1",
        "bbs1-af",
        "3d-druck",
        "Einführung in den 3D-Druck (FDM)",
        "Vom digitalen Modell zum gedruckten Bauteil – für Einsteiger:innen.",
        "Sie lernen, wie ein FDM-Drucker funktioniert, bereiten Modelle im Slicer vor und drucken "
        "eigene Halterungen, Lehren und Ersatzteile für den Betrieb.",
        (
            "Druckverfahren und Werkstoffe unterscheiden",
            "Modelle im Slicer für den Druck vorbereiten",
            "Drucke einrichten, überwachen und nachbearbeiten",
        ),
        ("fdm",),
        16,
        runs=3,
        price=Decimal("120.00"),
    ),
    CourseSpec(
        "BBS1",
        "bbs1-af",
        "3d-druck",
        "Resin-Druck für Zahntechnik und Modellbau",
        "Hochauflösende Bauteile aus Kunstharz sicher drucken.",
        "Stereolithografie in der Praxis: Druckvorbereitung, Stützstrukturen, Waschen und "
        "Aushärten "
        "sowie der sichere Umgang mit Harzen.",
        (
            "Stützstrukturen für Harzdrucke planen",
            "Gefahrstoffe sicher handhaben",
            "Bauteile waschen, aushärten und vermessen",
        ),
        ("resin",),
        8,
        level=Course.Level.INTERMEDIATE,
        prerequisites="Grundkenntnisse 3D-Druck",
        price=Decimal("95.00"),
    ),
    CourseSpec(
        "BBS1",
        "bbs1-au",
        "automatisierung",
        "SPS-Grundlagen mit TIA Portal",
        "Speicherprogrammierbare Steuerungen verstehen und programmieren.",
        "Aufbau einer SPS, Verknüpfungssteuerungen in FUP und KOP, Zeiten und Zähler, "
        "Inbetriebnahme "
        "am SPS-Trainer.",
        (
            "Aufbau und Arbeitsweise einer SPS erklären",
            "Verknüpfungssteuerungen programmieren",
            "Programme testen und in Betrieb nehmen",
        ),
        ("sps",),
        24,
        target=Course.TargetGroup.APPRENTICES,
        runs=3,
        price=Decimal("180.00"),
    ),
    CourseSpec(
        "BBS1",
        "bbs1-au",
        "robotik",
        "Cobots im Handwerk: Roboterarm programmieren",
        "Kollaborierende Roboter für wiederkehrende Aufgaben einsetzen.",
        "Sicherheitskonzepte nach ISO/TS 15066, Teach-in-Programmierung, Greifer und einfache "
        "Pick-and-Place-Anwendungen.",
        (
            "Sicherheitsanforderungen für Cobots beurteilen",
            "Bewegungen per Teach-in programmieren",
            "Eine Pick-and-Place-Aufgabe umsetzen",
        ),
        ("robot",),
        16,
        level=Course.Level.INTERMEDIATE,
        price=Decimal("220.00"),
    ),
    CourseSpec(
        "BBS2",
        "bbs2-df",
        "cnc",
        "CNC-Fräsen: vom CAD-Modell zum Werkstück",
        "Konstruieren, Werkzeugwege erzeugen und sicher fräsen.",
        "Vom Entwurf im CAD über die CAM-Programmierung bis zum gefrästen Werkstück aus Holz, "
        "Kunststoff oder Aluminium.",
        (
            "Werkstücke im CAD konstruieren",
            "Werkzeugwege im CAM erzeugen",
            "Die Fräse einrichten und sicher bedienen",
        ),
        ("cnc",),
        24,
        runs=3,
        price=Decimal("240.00"),
    ),
    CourseSpec(
        "BBS2",
        "bbs2-df",
        "laser",
        "Lasergravur und -schneiden für Tischlereien",
        "Individuelle Gravuren und passgenaue Zuschnitte mit dem Laser.",
        "Vektor- und Rastergrafiken vorbereiten, Parameter für Holzwerkstoffe finden, Laserschutz "
        "im Betrieb.",
        (
            "Grafiken für Gravur und Schnitt vorbereiten",
            "Laserparameter für Holz bestimmen",
            "Laserschutzregeln anwenden",
        ),
        ("laser",),
        8,
        runs=3,
        price=Decimal("90.00"),
    ),
    CourseSpec(
        "BBS2",
        "bbs2-i4",
        "automatisierung",
        "SPS-Aufbaukurs: Ablaufsteuerungen",
        "Schrittketten und Betriebsarten für Maschinen und Anlagen.",
        "Ablaufsteuerungen mit GRAPH, Betriebsarten, Fehlerbehandlung und Visualisierung an "
        "einem HMI-Panel.",
        (
            "Schrittketten entwerfen",
            "Betriebsarten und Not-Halt umsetzen",
            "Anlagen am HMI visualisieren",
        ),
        ("sps",),
        16,
        level=Course.Level.ADVANCED,
        prerequisites="SPS-Grundlagen",
        price=Decimal("180.00"),
    ),
    CourseSpec(
        "BBS2",
        "bbs2-df",
        "cnc",
        "Digitale Fertigung für Metallbauer:innen",
        "Fräsen und Lasern im Metallbau kombinieren.",
        "Bauteile für den Metallbau digital planen: Frästeile aus Aluminium, Schablonen vom Laser, "
        "Nachkalkulation.",
        (
            "Fertigungsverfahren für ein Bauteil auswählen",
            "Frästeile aus Aluminium herstellen",
            "Schablonen per Laser fertigen",
        ),
        ("cnc", "laser"),
        16,
        level=Course.Level.INTERMEDIATE,
        target=Course.TargetGroup.STAFF,
        price=Decimal("260.00"),
    ),
    CourseSpec(
        "BBS2",
        "bbs2-i4",
        "robotik",
        "Robotik kompakt",
        "Ein Tag am Roboterarm: Grundlagen für Auszubildende.",
        "Koordinatensysteme, Handbetrieb, einfache Programme und die wichtigsten "
        "Sicherheitsregeln.",
        (
            "Koordinatensysteme eines Roboters unterscheiden",
            "Den Roboter im Handbetrieb verfahren",
            "Ein einfaches Programm schreiben",
        ),
        ("robot",),
        8,
        target=Course.TargetGroup.APPRENTICES,
    ),
    CourseSpec(
        "BBS3",
        "bbs3-ms",
        "3d-druck",
        "3D-Scannen und Drucken von Ersatzteilen",
        "Defekte Teile erfassen, nachkonstruieren und drucken.",
        "Mit dem 3D-Scanner Bauteile erfassen, Netze reparieren und Ersatzteile aus technischen "
        "Kunststoffen drucken.",
        (
            "Bauteile dreidimensional erfassen",
            "Netze bereinigen und anpassen",
            "Ersatzteile funktionsgerecht drucken",
        ),
        ("fdm",),
        8,
        runs=3,
        price=Decimal("85.00"),
    ),
    CourseSpec(
        "BBS3",
        "bbs3-ms",
        "laser",
        "Laserschneiden von Acryl und Holz",
        "Schilder, Verpackungen und Modelle passgenau schneiden.",
        "Materialkunde, Fugen und Steckverbindungen, Gravur auf Acryl und Holz, Arbeitssicherheit.",
        (
            "Materialien für den Laser auswählen",
            "Steckverbindungen konstruieren",
            "Sicher am Laser arbeiten",
        ),
        ("laser",),
        8,
        price=Decimal("75.00"),
    ),
    CourseSpec(
        "BBS3",
        "bbs3-cnc",
        "cnc",
        "CNC-Grundkurs Holzbearbeitung",
        "Möbelteile und Fronten mit der CNC-Fräse herstellen.",
        "Nesting, Fräserwahl, Spannmittel und Oberflächen für Tischler:innen und Zimmerer:innen.",
        (
            "Werkstücke auf der Platte anordnen",
            "Fräser und Schnittwerte wählen",
            "Werkstücke sicher spannen",
        ),
        ("cnc",),
        16,
        runs=3,
        price=Decimal("160.00"),
    ),
]

# Runs by (course index, ordinal of the run of that course) that are not simply published.
COMPLETED_RUNS = {(0, 0): -42, (4, 0): -35, (9, 0): -28}  # days from today of the first session
CANCELLED_RUNS = {(2, 2), (6, 1)}
DRAFT_RUNS = {(1, 1), (5, 2), (8, 1), (11, 2)}
FULL_RUNS = {(3, 0), (8, 0)}  # every seat taken and people waiting
APPROVAL_RUNS = {(4, 1), (10, 0), (2, 0)}  # the employer must approve a booking

CHAMBERS = [
    ("HWK-HL", "Handwerkskammer Heideland", Chamber.Kind.HWK),
    ("IHK-HL", "IHK Heideland-Mühlenfeld", Chamber.Kind.IHK),
]

BUSINESSES = [
    # name, chamber, member number, city, occupation of its apprentices
    ("Tischlerei Schröder GmbH", "HWK-HL", "HWK-10427", "Heidestadt", "Tischler:in"),
    (
        "Elektro Köhler & Söhne",
        "HWK-HL",
        "HWK-10988",
        "Mühlenfeld",
        "Elektroniker:in für Energie- und Gebäudetechnik",
    ),
    ("Metallbau Weiß KG", "HWK-HL", "HWK-11305", "Großenwörde", "Metallbauer:in"),
    ("Zahntechnik Güldner", "HWK-HL", "HWK-11872", "Heidestadt", "Zahntechniker:in"),
    ("Kfz-Meisterbetrieb Brückner", "HWK-HL", "HWK-12034", "Lüttenbüttel", "Kfz-Mechatroniker:in"),
    ("Sanitär Jäger & Groß", "HWK-HL", "HWK-12561", "Mühlenfeld", "Anlagenmechaniker:in SHK"),
    (
        "Müller Präzisionstechnik GmbH",
        "IHK-HL",
        "IHK-400117",
        "Heidestadt",
        "Industriemechaniker:in",
    ),
    ("Heide Automation AG", "IHK-HL", "IHK-400342", "Großenwörde", "Mechatroniker:in"),
]

FIRST_NAMES = [
    "Jörg",
    "Jürgen",
    "Björn",
    "Sören",
    "Jonas",
    "Lukas",
    "Maximilian",
    "Mustafa",
    "Ömer",
    "Hüseyin",
    "Malte",
    "Finn",
    "Torben",
    "Niklas",
    "Jörn",
    "Özlem",
    "Ayşe",
    "Anna-Lena",
    "Lea",
    "Hannah",
    "Leonie",
    "Zoë",
    "Mia",
    "Emilia",
    "Käthe",
    "Bärbel",
    "Sophie",
    "Marlene",
    "Greta",
    "Ülkü",
]
LAST_NAMES = [
    "Müller",
    "Schäfer",
    "Weiß",
    "Groß",
    "Köhler",
    "Schröder",
    "Jäger",
    "Böhm",
    "Krüger",
    "Hoffmann",
    "Öztürk",
    "Yılmaz",
    "Strauß",
    "Meißner",
    "Brückner",
    "Günther",
    "Fuß",
    "Nußbaum",
    "Lübke",
    "Dietrich",
    "Wöhler",
    "Schütz",
    "Grünewald",
    "Vöhringer",
    "Kühn",
    "Bäcker",
    "Rößler",
    "Hölzl",
]

STAFF = [
    # e-mail, first name, last name, role, school, is the account of the README
    (ADMIN_EMAIL, "Almut", "Förster", Membership.Role.DISTRICT_ADMIN, None),
    (COORDINATOR_EMAIL, "Katrin", "Weißenborn", Membership.Role.COORDINATOR, "BBS1"),
    (INSTRUCTOR_EMAIL, "Jörg", "Hänsel", Membership.Role.INSTRUCTOR, "BBS1"),
    ("s.gruenberg@bbs1.demo.example", "Sabine", "Grünberg", Membership.Role.INSTRUCTOR, "BBS1"),
    ("koordination@bbs2.demo.example", "Dirk", "Strüver", Membership.Role.COORDINATOR, "BBS2"),
    ("m.oeztuerk@bbs2.demo.example", "Murat", "Öztürk", Membership.Role.INSTRUCTOR, "BBS2"),
    ("h.loessner@bbs2.demo.example", "Heike", "Lößner", Membership.Role.INSTRUCTOR, "BBS2"),
    ("koordination@bbs3.demo.example", "Gesine", "Möller", Membership.Role.COORDINATOR, "BBS3"),
    ("u.baerwald@bbs3.demo.example", "Uwe", "Bärwald", Membership.Role.INSTRUCTOR, "BBS3"),
    ("f.suess@bbs3.demo.example", "Frauke", "Süß", Membership.Role.INSTRUCTOR, "BBS3"),
]


def ascii_slug(text: str) -> str:
    """German transliteration for e-mail addresses: Jörg Weiß -> joerg.weiss."""
    for umlaut, plain in {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
    }.items():
        text = text.replace(umlaut, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in text.lower() if c.isalnum() or c in ".-")


def is_school_holiday(day: dt.date) -> bool:
    """Nationwide public holidays with a fixed date, and the Christmas break: no course then."""
    if (day.month == 12 and day.day >= 23) or (day.month == 1 and day.day <= 2):
        return True
    return (day.month, day.day) in {(5, 1), (10, 3)}


@dataclass
class Occupancy:
    """Days taken per workshop, per instructor and per participant: every demo session fills a
    whole day, so 'not the same day' means 'never overlapping'."""

    workshop: dict[int, set[dt.date]] = field(default_factory=lambda: defaultdict(set))
    instructor: dict[int, set[dt.date]] = field(default_factory=lambda: defaultdict(set))
    participant: dict[int, set[dt.date]] = field(default_factory=lambda: defaultdict(set))


class Command(BaseCommand):
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

    def _seats(self, spec: CourseSpec, capacity: int) -> int:
        """The seat rule of courses.selectors.with_seats, on the demo plan (no query per run)."""
        workshop = next(w for w in WORKSHOPS if w[0] == spec.workshop)
        limits = [capacity, workshop[4]]
        for slug in spec.needs:
            working = sum(
                1
                for n in range(1, workshop[5].get(slug, 0) + 1)
                if f"{spec.workshop.split('-')[0].upper()}-{slug.upper()}-{n:03d}"
                not in EQUIPMENT_STATUS
            )
            per_unit = next(t[2] for t in EQUIPMENT_TYPES if t[0] == slug)
            limits.append(working * per_unit)
        return min(limits)

    # --- runs, sessions, enrolments -----------------------------------------------------------

    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.tz)

    def _load_occupancy(self) -> Occupancy:
        occ = Occupancy()
        for workshop_id, instructor_id, start in Session.objects.values_list(
            "workshop_id", "instructor_id", "start"
        ):
            day = timezone.localtime(start, self.tz).date()
            occ.workshop[workshop_id].add(day)
            if instructor_id:
                occ.instructor[instructor_id].add(day)
        rows = Enrolment.objects.filter(
            status__in=("pending", "confirmed", "waitlisted")
        ).values_list("participant_id", "run__sessions__start")
        for participant_id, start in rows:
            if participant_id and start:
                occ.participant[participant_id].add(timezone.localtime(start, self.tz).date())
        return occ

    def _free_days(
        self, occ: Occupancy, workshop: Workshop, instructor: User, first: dt.date, n: int
    ):
        """The first n weekdays from `first` on which room and instructor are both free."""
        days, day = [], first
        while len(days) < n:
            if (
                day.weekday() < 5
                and not is_school_holiday(day)
                and day not in occ.workshop[workshop.pk]
                and day not in occ.instructor[instructor.pk]
            ):
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def _runs(self):
        occ = self._load_occupancy()
        instructors = defaultdict(list)
        for email, _first, _last, role, school in STAFF:
            if role == Membership.Role.INSTRUCTOR:
                instructors[school].append(self.staff[email])

        plan = []  # (desired first day offset, course index, ordinal)
        for ci, spec in enumerate(COURSES):
            for k in range(spec.runs):
                offset = COMPLETED_RUNS.get((ci, k), 4 + k * 28 + (ci * 5) % 24)
                plan.append((offset, ci, k))
        plan.sort()

        runs = []
        for offset, ci, k in plan:
            spec, course = COURSES[ci], self.courses[ci]
            existing = list(CourseRun.objects.filter(course=course).order_by("id"))
            school_instructors = instructors[spec.school]
            # The demo instructor (ausbilder@) takes two of every three runs at school 1.
            instructor = school_instructors[0 if (ci + k) % 3 else 1]
            if k < len(existing):
                run = existing[k]
            else:
                run = self._create_run(occ, ci, k, offset, spec, course, instructor)
            runs.append((ci, k, run))
        self._enrolments(occ, runs)

    def _create_run(self, occ, ci, k, offset, spec, course, instructor) -> CourseRun:
        workshop = self.workshops[spec.workshop]
        n_sessions = max(1, spec.hours // SESSION_HOURS)
        days = self._free_days(
            occ, workshop, instructor, self.today + dt.timedelta(days=offset), n_sessions
        )
        first = self._at(days[0], SESSION_START)
        last = self._at(days[-1], SESSION_END)
        if (ci, k) in COMPLETED_RUNS:
            status = CourseRun.Status.COMPLETED
        elif (ci, k) in CANCELLED_RUNS:
            status = CourseRun.Status.CANCELLED
        elif (ci, k) in DRAFT_RUNS:
            status = CourseRun.Status.DRAFT
        else:
            status = CourseRun.Status.PUBLISHED
        opens = first - dt.timedelta(days=60)
        run = CourseRun.objects.create(
            course=course,
            school=self.schools[spec.school],
            workshop=workshop,
            instructor=instructor,
            capacity=12,
            min_participants=4 if self._seats(spec, 12) >= 6 else 2,
            booking_opens_at=opens,
            booking_closes_at=first - dt.timedelta(days=2),
            cancellation_deadline=first - dt.timedelta(days=7),
            price_business=spec.price,
            requires_employer_approval=(ci, k) in APPROVAL_RUNS,
            status=status,
            starts_at=first,
            ends_at=last,
            published_at=opens if status != CourseRun.Status.DRAFT else None,
            cancelled_at=self.now if status == CourseRun.Status.CANCELLED else None,
            cancel_reason="Zu wenige Anmeldungen" if status == CourseRun.Status.CANCELLED else "",
        )
        session_status = (
            Session.Status.CANCELLED
            if status == CourseRun.Status.CANCELLED
            else Session.Status.SCHEDULED
        )
        sessions = Session.objects.bulk_create(
            [
                Session(
                    run=run,
                    start=self._at(day, SESSION_START),
                    end=self._at(day, SESSION_END),
                    workshop=workshop,
                    instructor=instructor,
                    status=session_status,
                )
                for day in days
            ]
        )
        for day in days:
            occ.workshop[workshop.pk].add(day)
            occ.instructor[instructor.pk].add(day)
        if session_status == Session.Status.SCHEDULED:
            self._reserve(run, sessions, spec)
        return run

    def _reserve(self, run: CourseRun, sessions: list[Session], spec: CourseSpec):
        """Each scheduled session holds the working items of the types its course needs."""
        items = list(
            Equipment.objects.filter(
                workshop=run.workshop,
                type__slug__in=spec.needs,
                status=Equipment.Status.AVAILABLE,
            ).order_by("inventory_number")
        )
        reservations = EquipmentReservation.objects.bulk_create(
            [
                EquipmentReservation(
                    equipment=item,
                    start=session.start,
                    end=session.end,
                    kind=EquipmentReservation.Kind.SESSION,
                    purpose=str(run.course),
                    reserved_by=run.instructor,
                )
                for session in sessions
                for item in items
            ]
        )
        per_session = len(items)
        SessionReservation.objects.bulk_create(
            [
                SessionReservation(session=sessions[i // per_session], reservation=reservation)
                for i, reservation in enumerate(reservations)
            ]
        )

    def _enrolments(self, occ: Occupancy, runs):
        """Enrolments in every status; a run that has any keeps them (idempotent on any day)."""
        azubi = self.trainees[0]
        # Where the demo trainee is enrolled, and how: (course index, ordinal) -> status.
        azubi_plan = {
            (0, 0): Enrolment.Status.COMPLETED,
            (0, 1): Enrolment.Status.CONFIRMED,
            (3, 1): Enrolment.Status.CONFIRMED,
            (3, 0): Enrolment.Status.WAITLISTED,
            (2, 0): Enrolment.Status.CANCELLED,
        }
        run_ids = [run.pk for _ci, _k, run in runs]
        has_enrolments = set(
            Enrolment.objects.filter(run_id__in=run_ids).values_list("run_id", flat=True).distinct()
        )
        session_days = defaultdict(list)
        for run_id, start in Session.objects.filter(run_id__in=run_ids).values_list(
            "run_id", "start"
        ):
            session_days[run_id].append(timezone.localtime(start, self.tz).date())

        for ci, k, run in sorted(runs, key=lambda r: (r[2].starts_at, r[2].pk)):
            if run.pk in has_enrolments or run.status == CourseRun.Status.DRAFT:
                continue
            rng = self._rng("run", ci, k)
            order = rng.sample(self.trainees[1:], len(self.trainees) - 1)
            days = set(session_days[run.pk])
            spec = COURSES[ci]
            seats = self._seats(spec, run.capacity)
            wanted = self._wanted_statuses(run, (ci, k), seats, rng)
            forced = azubi_plan.get((ci, k))
            candidates = ([azubi] if forced else []) + order
            chosen: list[tuple[User, str]] = []
            for status in ([forced] if forced else []) + wanted:
                while candidates:
                    person = candidates.pop(0)
                    # A cancelled enrolment blocks no day; any other one keeps the person's days.
                    blocks = status != Enrolment.Status.CANCELLED
                    if not blocks or not (occ.participant[person.pk] & days):
                        chosen.append((person, status))
                        if blocks:
                            occ.participant[person.pk] |= days
                        break
            self._create_enrolments(run, chosen, rng)

    def _wanted_statuses(self, run: CourseRun, key, seats: int, rng: random.Random) -> list[str]:
        S = Enrolment.Status
        if run.status == CourseRun.Status.COMPLETED:
            n = min(seats, 8) - 3
            return [S.COMPLETED] * n + [S.NOT_COMPLETED, S.NO_SHOW, S.CANCELLED]
        if run.status == CourseRun.Status.CANCELLED:
            return [S.CANCELLED] * 3
        if key in FULL_RUNS:
            # The demo trainee is first on the waiting list of the first full run.
            return [S.CONFIRMED] * seats + [S.WAITLISTED] * 2 + [S.CANCELLED]
        taken = rng.randint(2, max(2, seats - 3))
        pending = 2 if key in APPROVAL_RUNS else 0
        extra = [S.CANCELLED] if rng.random() < 0.4 else []
        return [S.CONFIRMED] * (taken - pending) + [S.PENDING] * pending + extra

    def _create_enrolments(self, run: CourseRun, chosen, rng: random.Random):
        S = Enrolment.Status
        profiles = {
            p.user_id: p for p in TraineeProfile.objects.filter(user__in=[u for u, _ in chosen])
        }
        sessions = list(run.sessions.order_by("start"))
        coordinator = self.staff[COORDINATOR_EMAIL]
        booked_at = run.booking_opens_at + dt.timedelta(days=3)
        # Waiting-list numbers follow booking order: the forced demo trainee first.
        seq = 0
        for person, status in chosen:
            profile = profiles.get(person.pk)
            business = profile.business if profile else None
            source = rng.choice(
                [Enrolment.Source.WEB] * 3 + [Enrolment.Source.API, Enrolment.Source.STAFF]
            )
            if business == self.demo_business and person != self.trainees[0]:
                booked_by = self.business_contact
                source = Enrolment.Source.WEB
            elif source == Enrolment.Source.STAFF:
                booked_by = coordinator
            else:
                booked_by = person
            fields = {}
            if status == S.WAITLISTED:
                seq += 1
                fields["waitlist_seq"] = seq
            if status in (S.CONFIRMED, S.COMPLETED, S.NOT_COMPLETED, S.NO_SHOW):
                fields["confirmed_at"] = booked_at
            if status == S.PENDING:
                fields["hold_until"] = self.now + dt.timedelta(
                    days=settings.BOOKING_APPROVAL_HOLD_DAYS
                )
                fields["approval_token_hash"] = token_digest(f"demo-{run.pk}-{person.pk}")
            if status == S.CANCELLED:
                fields["cancelled_at"] = run.cancelled_at or booked_at + dt.timedelta(days=5)
                fields["cancel_reason"] = (
                    "Kurs abgesagt" if run.cancelled_at else "Terminkonflikt im Betrieb"
                )
            if status in (S.COMPLETED, S.NOT_COMPLETED, S.NO_SHOW):
                fields["completed_at"] = run.ends_at
            enrolment, created = Enrolment.objects.get_or_create(
                run=run,
                participant=person,
                defaults={
                    "participant_name": person.get_full_name(),
                    "booked_by": booked_by,
                    "business": business,
                    "status": status,
                    "source": source,
                    **fields,
                },
            )
            if created and status in (S.COMPLETED, S.NOT_COMPLETED, S.NO_SHOW):
                self._attendance(enrolment, sessions, run.instructor)

    def _attendance(self, enrolment: Enrolment, sessions: list[Session], instructor: User):
        A, S = Attendance.Status, Enrolment.Status
        rows = []
        for i, session in enumerate(sessions):
            if enrolment.status == S.COMPLETED:
                status = A.PRESENT
            elif enrolment.status == S.NO_SHOW:
                status = A.ABSENT
            else:  # not completed: missed all but the first day, or most of a one-day course
                status = A.PRESENT if i == 0 else A.EXCUSED
            partial = enrolment.status == S.NOT_COMPLETED and len(sessions) == 1
            rows.append(
                Attendance(
                    enrolment=enrolment,
                    session=session,
                    status=status,
                    minutes=120 if partial else None,
                    reason="Krankmeldung" if status == A.EXCUSED or partial else "",
                    recorded_by=instructor,
                )
            )
        Attendance.objects.bulk_create(rows)
