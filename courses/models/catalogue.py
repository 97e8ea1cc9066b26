"""The catalogue: topics, courses and the equipment a course needs per participant."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from core.validators import single_line
from people.models import School
from workshops.models import EquipmentType

from ..competences import validate_competences


class Topic(models.Model):
    name = models.CharField(_("Name"), max_length=100, unique=True, validators=[single_line])
    slug = models.SlugField(_("Kürzel"), max_length=50, unique=True, validators=[single_line])
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Themenfeld")
        verbose_name_plural = _("Themenfelder")

    def __str__(self):
        return self.name


class Course(TimeStamped):
    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Einstieg")
        INTERMEDIATE = "intermediate", _("Fortgeschritten")
        ADVANCED = "advanced", _("Profi")

    class TargetGroup(models.TextChoices):
        APPRENTICES = "apprentices", _("Auszubildende")
        STAFF = "staff", _("Beschäftigte von Betrieben")
        BOTH = "both", _("Auszubildende und Beschäftigte")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="courses")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="courses")
    title = models.CharField(_("Titel"), max_length=200, validators=[single_line])
    summary = models.CharField(
        _("Kurzbeschreibung"), max_length=300, blank=True, validators=[single_line]
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    level = models.CharField(
        _("Niveau"), max_length=16, choices=Level.choices, default=Level.BEGINNER
    )
    target_group = models.CharField(
        _("Zielgruppe"), max_length=16, choices=TargetGroup.choices, default=TargetGroup.BOTH
    )
    hours = models.DecimalField(_("Unterrichtsstunden"), max_digits=5, decimal_places=1)
    instruction_plan = models.CharField(
        _("Unterweisungsplan"),
        max_length=40,
        blank=True,
        help_text=_("Nummer des ÜLU-Unterweisungsplans, den der Kurs umsetzt (für die Kammer)"),
        validators=[single_line],
    )
    learning_outcomes = models.TextField(
        _("Lernziele"), blank=True, help_text=_("Ein Lernziel je Zeile")
    )
    prerequisites = models.TextField(_("Voraussetzungen"), blank=True)
    competences = models.JSONField(
        _("Kompetenzen (DigComp 2.2)"),
        default=list,
        blank=True,
        validators=[validate_competences],
        help_text=_(
            "Nummern der Kompetenzen des Europäischen Referenzrahmens DigComp 2.2, die der Kurs "
            "vermittelt (für Kursportale wie MOOChub)"
        ),
    )
    attendance_threshold = models.PositiveSmallIntegerField(
        _("Mindestanwesenheit (%)"),
        default=80,
        help_text=_("Anteil der Terminstunden für den Abschluss"),
    )
    equipment_types = models.ManyToManyField(
        EquipmentType, through="CourseEquipment", related_name="courses", blank=True
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("Kurs")
        verbose_name_plural = _("Kurse")
        indexes = [models.Index(fields=["school", "topic"])]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="course_hours_positive"),
            models.CheckConstraint(
                condition=Q(attendance_threshold__gte=0, attendance_threshold__lte=100),
                name="course_threshold_percent",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:course", args=[self.pk])

    @property
    def asks_requirements(self) -> bool:
        """Whoever books says first that they meet the prerequisites and belong to the target
        group, when the course names either (a course for everyone without prerequisites asks
        nothing)."""
        return bool(self.prerequisites.strip()) or self.target_group != self.TargetGroup.BOTH

    @property
    def number(self) -> str:
        """The course number chambers and portals see: school code and id (BBS1-12)."""
        return f"{self.school.code}-{self.pk}"

    @property
    def learning_outcome_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.learning_outcomes.splitlines() if line.strip()]


class CourseEquipment(models.Model):
    """Equipment a course needs: one unit of the type serves `participants_per_unit` people."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="equipment_needs")
    equipment_type = models.ForeignKey(EquipmentType, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("benötigte Geräteart")
        verbose_name_plural = _("benötigte Gerätearten")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "equipment_type"], name="course_equipment_unique"
            )
        ]

    def __str__(self):
        return f"{self.course}: {self.equipment_type}"
