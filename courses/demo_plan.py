"""The demo district's plan as plain data: schools, equipment, workshops, topics, courses and
which of their runs are completed, cancelled, drafts, full or need the employer's approval
(loaded by `manage.py seed_demo`)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from courses.models import (
    Course,
)
from workshops.models import (
    Equipment,
)

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
