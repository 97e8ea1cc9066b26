"""Forms of the staff area. They only parse input: the planning services decide and save, and
their InvalidInput/SessionConflict errors come back onto the field at fault (`add_domain_error`)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DomainErrorForm
from core.validators import MAX_MINUTES, MAX_SEATS, plausible_date
from people.models import Membership, School, User
from workshops.models import Equipment, EquipmentType, Workshop

from ..competences import choices as competence_choices
from ..models import Course, CourseRun, Topic

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


def instructors_of(school_ids):
    return (
        User.objects.filter(
            memberships__school_id__in=list(school_ids),
            memberships__role__in=[Membership.Role.INSTRUCTOR, Membership.Role.COORDINATOR],
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


class CourseForm(DomainErrorForm):
    school = forms.ModelChoiceField(label=_("Schule"), queryset=None)
    topic = forms.ModelChoiceField(label=_("Themenfeld"), queryset=Topic.objects.all())
    title = forms.CharField(label=_("Titel"), max_length=200)
    summary = forms.CharField(label=_("Kurzbeschreibung"), max_length=300, required=False)
    description = forms.CharField(label=_("Beschreibung"), widget=forms.Textarea, required=False)
    level = forms.ChoiceField(label=_("Niveau"), choices=Course.Level.choices)
    target_group = forms.ChoiceField(label=_("Zielgruppe"), choices=Course.TargetGroup.choices)
    hours = forms.DecimalField(
        label=_("Unterrichtsstunden"), max_digits=5, decimal_places=1, min_value=0.5
    )
    learning_outcomes = forms.CharField(
        label=_("Lernziele"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Ein Lernziel je Zeile"),
    )
    prerequisites = forms.CharField(
        label=_("Voraussetzungen"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    competences = forms.MultipleChoiceField(
        label=_("Vermittelte Kompetenzen (DigComp 2.2)"),
        choices=competence_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Kompetenzen des Europäischen Referenzrahmens für digitale Kompetenzen, die der Kurs "
            "vermittelt; Kursportale (MOOChub) zeigen sie an."
        ),
    )
    instruction_plan = forms.CharField(
        label=_("Unterweisungsplan"),
        max_length=40,
        required=False,
        help_text=_("Nummer des ÜLU-Unterweisungsplans, den der Kurs umsetzt (für die Kammer)"),
    )
    attendance_threshold = forms.IntegerField(
        label=_("Mindestanwesenheit (%)"), min_value=0, max_value=100, initial=80
    )
    equipment_types = forms.ModelMultipleChoiceField(
        label=_("Benötigte Geräte"),
        queryset=EquipmentType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Je Geräteart reicht ein Gerät für die eingestellte Zahl Teilnehmender."),
    )
    is_active = forms.BooleanField(label=_("aktiv"), required=False, initial=True)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if schools.count() == 1:
            self.fields["school"].initial = schools.first()

    @classmethod
    def initial_for(cls, course: Course) -> dict:
        data = {
            name: getattr(course, name) for name in cls.base_fields if name != "equipment_types"
        }
        data["equipment_types"] = list(course.equipment_types.all())
        return data


class RunForm(DomainErrorForm):
    course = forms.ModelChoiceField(label=_("Kurs"), queryset=None)
    workshop = forms.ModelChoiceField(label=_("Lernwerkstatt"), queryset=None)
    instructor = forms.ModelChoiceField(label=_("Ausbilder:in"), queryset=None, required=False)
    title_suffix = forms.CharField(label=_("Zusatz zum Titel"), max_length=100, required=False)
    capacity = forms.IntegerField(label=_("Kapazität"), max_value=MAX_SEATS)
    min_participants = forms.IntegerField(
        label=_("Mindestteilnehmende"), initial=0, min_value=0, max_value=MAX_SEATS
    )
    booking_opens_at = forms.DateTimeField(
        label=_("Buchung ab"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    booking_closes_at = forms.DateTimeField(
        label=_("Buchung bis"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    cancellation_deadline = forms.DateTimeField(
        label=_("Stornierung bis"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    price_business = forms.DecimalField(
        label=_("Preis für Betriebe (€)"), max_digits=8, decimal_places=2, initial=0
    )
    requires_employer_approval = forms.BooleanField(
        label=_("Freigabe durch Arbeitgeber nötig"), required=False
    )

    def __init__(self, *args, school_ids, fixed_course=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = list(school_ids)
        self.fields["course"].queryset = Course.objects.filter(school_id__in=ids, is_active=True)
        if fixed_course is not None:
            self.fields["course"].queryset = Course.objects.filter(pk=fixed_course.pk)
            self.fields["course"].initial = fixed_course
            self.fields["course"].disabled = True
        self.fields["workshop"].queryset = Workshop.objects.filter(
            school_id__in=ids, is_active=True
        )
        self.fields["instructor"].queryset = instructors_of(ids)

    def clean_capacity(self):
        value = self.cleaned_data["capacity"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("Die Kapazität darf nicht negativ sein."))
        return value

    def clean(self):
        data = super().clean()
        opens, closes = data.get("booking_opens_at"), data.get("booking_closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "booking_closes_at", _("Das Buchungsende muss nach dem Buchungsbeginn liegen.")
            )
        capacity, minimum = data.get("capacity"), data.get("min_participants")
        if capacity is not None and minimum is not None:
            if minimum < 0:
                self.add_error("min_participants", _("Die Mindestzahl darf nicht negativ sein."))
            elif minimum > capacity >= 0:
                self.add_error(
                    "min_participants", _("Die Mindestzahl darf die Kapazität nicht übersteigen.")
                )
        workshop, course = data.get("workshop"), data.get("course")
        if workshop and course and workshop.school_id != course.school_id:
            self.add_error("workshop", _("Die Lernwerkstatt gehört nicht zur Schule des Kurses."))
        return data

    @classmethod
    def initial_for(cls, run: CourseRun) -> dict:
        return {name: getattr(run, name) for name in cls.base_fields}


def _equipment_field(required=False):
    return forms.ModelMultipleChoiceField(
        label=_("Zusätzliche Geräte"),
        queryset=Equipment.objects.none(),
        required=required,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_(
            "Die Geräte, die der Kurs braucht, werden automatisch reserviert; "
            "hier können Sie bestimmte Geräte zusätzlich wählen."
        ),
    )


class _SessionBase(DomainErrorForm):
    workshop = forms.ModelChoiceField(label=_("Lernwerkstatt"), queryset=None)
    instructor = forms.ModelChoiceField(label=_("Ausbilder:in"), queryset=None, required=False)
    equipment = _equipment_field()

    def __init__(self, *args, run: CourseRun, **kwargs):
        super().__init__(*args, **kwargs)
        self.run = run
        self.fields["workshop"].queryset = Workshop.objects.filter(school_id=run.school_id)
        self.fields["workshop"].initial = run.workshop_id
        self.fields["instructor"].queryset = instructors_of([run.school_id])
        self.fields["instructor"].initial = run.instructor_id
        self.fields["equipment"].queryset = (
            Equipment.objects.filter(school_id=run.school_id)
            .exclude(status=Equipment.Status.RETIRED)
            .select_related("type")
        )


class SessionForm(_SessionBase):
    day = forms.DateField(label=_("Datum"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Beginn"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("Ende"), widget=TIME_INPUT)

    field_order = ["day", "start_time", "end_time", "workshop", "instructor", "equipment"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Das Ende muss nach dem Beginn liegen."))
        return data


class SeriesForm(_SessionBase):
    FREQUENCIES = [("weekly", _("wöchentlich")), ("daily", _("täglich"))]

    first_date = forms.DateField(label=_("Erster Termin am"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Beginn"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("Ende"), widget=TIME_INPUT)
    frequency = forms.ChoiceField(label=_("Wiederholung"), choices=FREQUENCIES, initial="weekly")
    until = forms.DateField(
        label=_("bis einschließlich"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("Enddatum oder Anzahl angeben"),
    )
    count = forms.IntegerField(
        label=_("Anzahl Termine"), required=False, min_value=1, max_value=200
    )
    skip_dates = forms.CharField(
        label=_("Auslassen (z. B. Ferien)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Ein Datum je Zeile, z. B. 24.12.2026, oder ein Zeitraum 23.12.2026-06.01.2027"
        ),
    )

    field_order = [
        "first_date",
        "start_time",
        "end_time",
        "frequency",
        "until",
        "count",
        "skip_dates",
        "workshop",
        "instructor",
        "equipment",
    ]

    @staticmethod
    def _parse_day(text: str) -> dt.date:
        for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
            try:
                day = dt.datetime.strptime(text.strip(), fmt).date()
            except ValueError:
                continue
            plausible_date(day)
            return day
        raise forms.ValidationError(
            _("„%(value)s“ ist kein Datum (TT.MM.JJJJ)."), params={"value": text.strip()}
        )

    def clean_skip_dates(self):
        days: set[dt.date] = set()
        for line in self.cleaned_data.get("skip_dates", "").replace(",", "\n").splitlines():
            if not line.strip():
                continue
            if "-" in line and line.count(".") == 4:
                first, last = (self._parse_day(part) for part in line.split("-", 1))
                if last < first:
                    raise forms.ValidationError(_("Ein Zeitraum endet vor seinem Beginn."))
                if (last - first).days > 366:
                    raise forms.ValidationError(_("Ein Zeitraum umfasst höchstens ein Jahr."))
                days.update(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
            else:
                days.add(self._parse_day(line))
        return sorted(days)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Das Ende muss nach dem Beginn liegen."))
        if "until" in data and "count" in data and not data.get("until") and not data.get("count"):
            self.add_error("until", _("Bitte ein Enddatum oder eine Anzahl von Terminen angeben."))
        return data


class RunStatusForm(DomainErrorForm):
    ACTIONS = [
        ("publish", _("Veröffentlichen")),
        ("unpublish", _("Zurückziehen")),
        ("complete", _("Abschließen")),
        ("cancel", _("Absagen")),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    reason = forms.CharField(label=_("Grund"), required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if data.get("action") == "cancel" and not data.get("reason", "").strip():
            self.add_error("reason", _("Bitte einen Grund für die Absage angeben."))
        return data


class FeedForm(DomainErrorForm):
    SCOPES = [
        ("school", _("ganze Schule")),
        ("workshop", _("eine Lernwerkstatt")),
        ("instructor", _("meine Termine")),
    ]
    scope = forms.ChoiceField(label=_("Umfang"), choices=SCOPES)
    school = forms.ModelChoiceField(label=_("Schule"), queryset=None, required=False)
    workshop = forms.ModelChoiceField(label=_("Lernwerkstatt"), queryset=None, required=False)

    def __init__(self, *args, school_ids, **kwargs):
        """`school_ids`: the schools the user manages; their workshops and schools are the only
        choices, and without any only the own sessions can be subscribed."""
        super().__init__(*args, **kwargs)
        self.school_ids = list(school_ids)
        ids = self.school_ids
        self.fields["school"].queryset = School.objects.filter(pk__in=ids)
        self.fields["workshop"].queryset = Workshop.objects.filter(school_id__in=ids)
        if not ids:
            self.fields["scope"].choices = [c for c in self.SCOPES if c[0] == "instructor"]
        if len(ids) <= 1:
            # One school: nothing to choose; clean() takes it.
            del self.fields["school"]

    def clean(self):
        data = super().clean()
        if data.get("scope") == "workshop" and not data.get("workshop"):
            self.add_error("workshop", _("Bitte eine Lernwerkstatt wählen."))
        if data.get("scope") == "school":
            if "school" in self.fields:
                if not data.get("school"):
                    self.add_error("school", _("Bitte eine Schule wählen."))
                else:
                    data["school_id"] = data["school"].pk
            else:
                data["school_id"] = self.school_ids[0]
        return data


class AttendanceForm(DomainErrorForm):
    STATUS = [("present", _("anwesend")), ("absent", _("abwesend")), ("excused", _("entschuldigt"))]
    status = forms.ChoiceField(
        label=_("Status"), choices=STATUS, widget=forms.RadioSelect, required=False
    )
    reason = forms.CharField(label=_("Grund"), required=False, max_length=200)
    minutes = forms.IntegerField(
        label=_("anwesende Minuten"), required=False, min_value=0, max_value=MAX_MINUTES
    )

    def clean(self):
        data = super().clean()
        # Minutes typed in before a choice mean "here for part of the session".
        if not data.get("status") and data.get("minutes") is not None:
            data["status"] = "present"
        if not data.get("status") and "status" not in self.errors:
            self.add_error("status", _("Bitte anwesend, abwesend oder entschuldigt wählen."))
        return data
