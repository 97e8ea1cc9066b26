"""The demo catalogue's DigComp 2.2 competences (for `manage.py seed_demo`): what each demo course
teaches in the framework's terms, so the MOOChub feed's `teaches` shows realistic data."""

from .competences import ordered
from .models import Course

# By course title. Digital fabrication is content creation (3.1 designing a model, 3.2 reworking
# scans and graphics), programming (3.4 PLC and robot programs), technical problem solving (5.1)
# and, in the workshop, safety of people (4.3: lasers, resins, cobots).
DEMO_COMPETENCES = {
    "Einführung in den 3D-Druck (FDM)": ("3.1", "5.1", "5.3"),
    "Resin-Druck für Zahntechnik und Modellbau": ("3.1", "4.3", "5.1"),
    "SPS-Grundlagen mit TIA Portal": ("3.4", "5.1"),
    "Cobots im Handwerk: Roboterarm programmieren": ("3.4", "4.3", "5.2"),
    "CNC-Fräsen: vom CAD-Modell zum Werkstück": ("3.1", "3.2", "5.1"),
    "Lasergravur und -schneiden für Tischlereien": ("3.1", "3.2", "4.3"),
    "SPS-Aufbaukurs: Ablaufsteuerungen": ("3.4", "5.1", "5.2"),
    "Digitale Fertigung für Metallbauer:innen": ("3.1", "5.2", "5.3"),
    "Robotik kompakt": ("3.4", "4.3"),
    "3D-Scannen und Drucken von Ersatzteilen": ("1.3", "3.2", "5.3"),
    "Laserschneiden von Acryl und Holz": ("3.1", "4.3"),
    "CNC-Grundkurs Holzbearbeitung": ("3.1", "5.1"),
}


def assign_demo_competences(courses) -> None:
    """Give each demo course its competences unless someone has already chosen some."""
    for course in courses:
        wanted = ordered(DEMO_COMPETENCES.get(course.title, ()))
        if wanted and not course.competences:
            Course.objects.filter(pk=course.pk).update(competences=wanted)
            course.competences = wanted
