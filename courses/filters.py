"""Catalogue search and filters (django-filter). Every filter is a GET parameter, so a filtered
list is a link that can be shared."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from people.models import School

from .models import Course, CourseRun, Topic


class CatalogueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("Suche"),
        help_text=_("Titel, Beschreibung oder Themenfeld"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="course__topic",
        to_field_name="slug",
        queryset=Topic.objects.all(),
        label=_("Themenfeld"),
        empty_label=_("alle Themenfelder"),
    )
    school = django_filters.ModelChoiceFilter(
        queryset=School.objects.all(), label=_("Schule"), empty_label=_("alle Schulen")
    )
    date_from = django_filters.DateFilter(
        field_name="starts_at",
        lookup_expr="date__gte",
        label=_("Beginn ab"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="starts_at",
        lookup_expr="date__lte",
        label=_("Beginn bis"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    target_group = django_filters.ChoiceFilter(
        method="for_group",
        label=_("Zielgruppe"),
        choices=[
            (Course.TargetGroup.APPRENTICES, _("Auszubildende")),
            (Course.TargetGroup.STAFF, _("Beschäftigte von Betrieben")),
        ],
        empty_label=_("alle"),
    )
    free = django_filters.BooleanFilter(
        method="only_free", label=_("nur mit freien Plätzen"), widget=forms.CheckboxInput
    )

    class Meta:
        model = CourseRun  # every filter is declared above
        fields: list[str] = []

    def courses_matching(self, courses):
        """Apply the filters that describe a course (search, topic, school, target group) to a
        queryset of courses: the catalogue also names courses that have no run to book."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        if value := (data.get("q") or "").strip():
            courses = courses.filter(
                Q(title__icontains=value)
                | Q(summary__icontains=value)
                | Q(description__icontains=value)
                | Q(topic__name__icontains=value)
            )
        if data.get("topic"):
            courses = courses.filter(topic=data["topic"])
        if data.get("school"):
            courses = courses.filter(school=data["school"])
        if data.get("target_group"):
            courses = courses.filter(
                target_group__in=[data["target_group"], Course.TargetGroup.BOTH]
            )
        return courses

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(course__title__icontains=value)
            | Q(course__summary__icontains=value)
            | Q(course__description__icontains=value)
            | Q(course__topic__name__icontains=value)
            | Q(title_suffix__icontains=value)
        )

    def for_group(self, queryset, name, value):
        # A course for both groups is offered to each of them.
        return queryset.filter(course__target_group__in=[value, Course.TargetGroup.BOTH])

    def only_free(self, queryset, name, value):
        return queryset.filter(seats_left__gt=0) if value else queryset
