"""Forms of demand. They only parse input; the services decide and save, and their domain errors
come back onto the field at fault (DomainErrorForm.add_domain_error)."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import DomainErrorForm
from core.validators import MAX_SEATS
from courses.models import Course, Topic
from people.models import Business, Membership, School, User
from workshops.models import Workshop

from .models import FIXED_QUESTIONS, CourseRequest

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
SCALE = [(str(n), str(n)) for n in range(1, 6)]
MONTHS_AHEAD = 12


class InterestForm(DomainErrorForm):
    participants = forms.IntegerField(
        label=_("Anzahl Personen"), min_value=1, max_value=200, initial=1
    )
    preferred_start = forms.DateField(label=_("Am liebsten ab"), widget=DATE_INPUT, required=False)
    preferred_end = forms.DateField(label=_("Am liebsten bis"), widget=DATE_INPUT, required=False)
    for_business = forms.ModelChoiceField(
        label=_("Für meinen Betrieb"),
        queryset=Business.objects.none(),
        required=False,
        empty_label=_("– nur für mich –"),
        help_text=_("Als Ansprechperson können Sie Interesse für mehrere Beschäftigte anmelden."),
    )

    def __init__(self, *args, business_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        if business_ids:
            self.fields["for_business"].queryset = Business.objects.filter(pk__in=business_ids)
        else:
            del self.fields["for_business"]


def month_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    """The next twelve months as ("2027-03", "März 2027") in the active language."""
    today = today or timezone.localdate()
    choices = []
    year, month = today.year, today.month
    for _step in range(MONTHS_AHEAD):
        first = dt.date(year, month, 1)
        choices.append((first.strftime("%Y-%m"), date_format(first, "YEAR_MONTH_FORMAT")))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return choices


class CourseRequestForm(DomainErrorForm):
    title = forms.CharField(
        label=_("Was wird gebraucht?"),
        max_length=200,
        help_text=_("z. B. „SPS-Grundlagen für zwei Monteure“ oder „CNC-Kurs an der BBS 2“"),
    )
    topic = forms.ModelChoiceField(label=_("Themenfeld"), queryset=Topic.objects.all())
    course = forms.ModelChoiceField(
        label=_("Bestehender Kurs"),
        queryset=Course.objects.filter(is_active=True).select_related("school"),
        required=False,
        help_text=_("Wenn Sie einen vorhandenen Kurs zu einer anderen Zeit oder Schule wünschen."),
    )
    school = forms.ModelChoiceField(
        label=_("Gewünschte Schule"),
        queryset=School.objects.all(),
        required=False,
        empty_label=_("– egal –"),
    )
    participants = forms.IntegerField(
        label=_("Anzahl Personen"), min_value=1, max_value=200, initial=1
    )
    preferred_months = forms.MultipleChoiceField(
        label=_("Gewünschte Monate"), required=False, widget=forms.CheckboxSelectMultiple
    )
    message = forms.CharField(
        label=_("Beschreibung"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Vorkenntnisse, Ziele, besondere Wünsche"),
    )
    business = forms.ModelChoiceField(label=_("Betrieb"), queryset=Business.objects.none())

    def __init__(self, *args, business_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_months"].choices = month_choices()
        self.fields["business"].queryset = Business.objects.filter(pk__in=business_ids)
        if len(business_ids) == 1:
            self.fields["business"].initial = next(iter(business_ids))
            self.fields["business"].widget = forms.HiddenInput()


class AnswerForm(DomainErrorForm):
    answer = forms.CharField(label=_("Antwort"), widget=forms.Textarea(attrs={"rows": 5}))
    status = forms.ChoiceField(
        label=_("Ergebnis"),
        choices=[
            (CourseRequest.Status.ANSWERED, _("beantwortet")),
            (CourseRequest.Status.DECLINED, _("abgelehnt")),
        ],
        widget=forms.RadioSelect,
        initial=CourseRequest.Status.ANSWERED,
    )


def _instructors(school_id: int):
    return (
        User.objects.filter(
            memberships__school_id=school_id,
            memberships__role__in=[Membership.Role.INSTRUCTOR, Membership.Role.COORDINATOR],
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


class PlanRunForm(DomainErrorForm):
    """A run of a course, prefilled from demand (the view passes the initial values)."""

    workshop = forms.ModelChoiceField(label=_("Lernwerkstatt"), queryset=Workshop.objects.none())
    instructor = forms.ModelChoiceField(
        label=_("Ausbilder:in"), queryset=User.objects.none(), required=False
    )
    title_suffix = forms.CharField(label=_("Zusatz zum Titel"), max_length=100, required=False)
    capacity = forms.IntegerField(label=_("Kapazität"), min_value=1, max_value=MAX_SEATS)
    min_participants = forms.IntegerField(
        label=_("Mindestteilnehmende"), min_value=0, max_value=MAX_SEATS, initial=0
    )
    booking_opens_at = forms.DateTimeField(
        label=_("Öffentliche Buchung ab"),
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        help_text=_("Interessierte können in den Tagen davor vorab buchen."),
    )
    booking_closes_at = forms.DateTimeField(
        label=_("Buchung bis"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    cancellation_deadline = forms.DateTimeField(
        label=_("Stornierung bis"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = Workshop.objects.filter(
            school_id=course.school_id, is_active=True
        )
        self.fields["instructor"].queryset = _instructors(course.school_id)

    def clean(self):
        data = super().clean()
        opens, closes = data.get("booking_opens_at"), data.get("booking_closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "booking_closes_at", _("Das Buchungsende muss nach dem Buchungsbeginn liegen.")
            )
        capacity, minimum = data.get("capacity"), data.get("min_participants")
        if capacity is not None and minimum is not None and minimum > capacity:
            self.add_error(
                "min_participants", _("Die Mindestzahl darf die Kapazität nicht übersteigen.")
            )
        return data


class FeedbackForm(DomainErrorForm):
    """The fixed questions, the course's extra questions, and free text."""

    comment = forms.CharField(
        label=_("Was möchten Sie uns noch sagen?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text=_("Bitte keine Namen nennen: der Text wird so gezeigt, wie Sie ihn schreiben."),
    )

    def __init__(self, *args, questions=(), language: str = "de", **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for name, label in FIXED_QUESTIONS:
            fields[name] = self._scale(label)
        self.extra_names = {}
        for question in questions:
            name = f"extra_{question.pk}"
            fields[name] = self._scale(question.text(language))
            self.extra_names[name] = question.pk
        fields["comment"] = self.fields.pop("comment")
        self.fields = fields | self.fields

    @staticmethod
    def _scale(label) -> forms.TypedChoiceField:
        return forms.TypedChoiceField(
            label=label,
            choices=SCALE,
            coerce=int,
            widget=forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
            help_text=_("1 = trifft gar nicht zu, 5 = trifft voll zu"),
        )

    def scores(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name, _label in FIXED_QUESTIONS}

    def extra_scores(self) -> dict[int, int]:
        return {pk: self.cleaned_data[name] for name, pk in self.extra_names.items()}


class QuestionForm(DomainErrorForm):
    text_de = forms.CharField(label=_("Frage (Deutsch)"), max_length=200)
    text_en = forms.CharField(label=_("Frage (Englisch)"), max_length=200, required=False)


class PeriodForm(DomainErrorForm):
    """The period of the statistics (GET); both ends optional."""

    start = forms.DateField(label=_("Von"), widget=DATE_INPUT, required=False)
    end = forms.DateField(label=_("Bis"), widget=DATE_INPUT, required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Das Ende muss nach dem Beginn liegen."))
        return data
