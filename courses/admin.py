"""Admin for the catalogue, runs, sessions, enrolments and attendance. Lists join what their rows
show; inlines pick people and rooms by autocomplete, so a run with 30 enrolments does not render
30 drop-downs of every user."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .competences import choices as competence_choices
from .models import (
    Attendance,
    CalendarFeed,
    Course,
    CourseEquipment,
    CourseRun,
    Enrolment,
    RunMessage,
    Session,
    SessionMaterial,
    SessionReservation,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class CourseEquipmentInline(admin.TabularInline):
    model = CourseEquipment
    extra = 0
    autocomplete_fields = ("equipment_type",)


class CourseAdminForm(forms.ModelForm):
    # The framework's competences as checkboxes, not the JSON list the column holds (the admin
    # gives the form its model and fields).
    competences = forms.MultipleChoiceField(
        label=_("Kompetenzen (DigComp 2.2)"),
        choices=competence_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_competences(self):
        chosen = set(self.cleaned_data["competences"])
        return [code for code, _label in competence_choices() if code in chosen]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    form = CourseAdminForm
    list_display = ("title", "school", "topic", "level", "target_group", "hours", "is_active")
    list_select_related = ("school", "topic")
    list_filter = ("is_active", "school", "topic", "level", "target_group")
    search_fields = ("title", "summary")
    autocomplete_fields = ("school", "topic")
    inlines = (CourseEquipmentInline,)


@admin.register(CourseEquipment)
class CourseEquipmentAdmin(admin.ModelAdmin):
    list_display = ("course", "equipment_type")
    list_select_related = ("course", "equipment_type")
    list_filter = ("equipment_type",)
    autocomplete_fields = ("course", "equipment_type")


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ("start", "end", "workshop", "instructor", "status")
    autocomplete_fields = ("workshop", "instructor")


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    fields = ("participant", "business", "status", "waitlist_seq", "source", "booked_by")
    autocomplete_fields = ("participant", "business", "booked_by")
    show_change_link = True


@admin.register(CourseRun)
class CourseRunAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "school",
        "workshop",
        "instructor",
        "status",
        "starts_at",
        "capacity",
    )
    list_select_related = ("course", "school", "workshop", "instructor")
    list_filter = ("status", "school", "course__topic")
    search_fields = ("course__title", "title_suffix")
    date_hierarchy = "starts_at"
    autocomplete_fields = ("course", "school", "workshop", "instructor")
    inlines = (SessionInline, EnrolmentInline)


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "run", "start", "end", "workshop", "instructor", "status")
    list_select_related = ("run__course", "workshop", "instructor")
    list_filter = ("status", "workshop__school", "workshop")
    search_fields = ("run__course__title",)
    date_hierarchy = "start"
    autocomplete_fields = ("run", "workshop", "instructor")
    readonly_fields = ("uid", "sequence")


@admin.register(SessionReservation)
class SessionReservationAdmin(admin.ModelAdmin):
    list_display = ("session", "reservation")
    list_select_related = ("session__run__course", "reservation__equipment__type")
    autocomplete_fields = ("session", "reservation")


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ("session", "status", "minutes", "reason", "method")
    autocomplete_fields = ("session",)


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "participant",
        "business",
        "status",
        "waitlist_seq",
        "source",
        "requirements_confirmed_at",
        "created_at",
    )
    list_select_related = ("participant", "business", "run__course")
    list_filter = ("status", "source", "run__school")
    search_fields = (
        "participant__email",
        "participant__last_name",
        "participant_name",
        "run__course__title",
        "business__name",
    )
    date_hierarchy = "created_at"
    autocomplete_fields = ("run", "participant", "booked_by", "business")
    exclude = ("approval_token_hash",)  # a digest: of no use to read, never to be edited
    inlines = (AttendanceInline,)


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "session", "status", "minutes", "method")
    list_select_related = (
        "enrolment__participant",
        "enrolment__run__course",
        "session__run__course",
    )
    list_filter = ("status", "method")
    search_fields = ("enrolment__participant_name", "enrolment__participant__email")
    autocomplete_fields = ("enrolment", "session", "recorded_by")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("__str__", "school", "workshop", "instructor", "created_at")
    list_select_related = ("school", "workshop", "instructor")
    # Only the token's digest is stored: a feed is made (and its address shown once) on the
    # staff page, so the admin may look at feeds and delete them, not create them.
    exclude = ("token_hash",)
    autocomplete_fields = ("school", "workshop", "instructor")

    def has_add_permission(self, request):
        return False


@admin.register(SessionMaterial)
class SessionMaterialAdmin(admin.ModelAdmin):
    """Material used in a session: recorded on the attendance page (stock movement), read here."""

    list_display = ("session", "movement")
    list_select_related = ("session__run__course", "movement")
    readonly_fields = ("session", "movement")

    def has_add_permission(self, request):
        return False


@admin.register(RunMessage)
class RunMessageAdmin(admin.ModelAdmin):
    """Messages to a run's participants: written and sent on the staff run page, read here."""

    list_display = ("subject", "run", "session", "audience", "recipients", "sent_at", "author")
    list_select_related = ("run__course", "session", "author")
    search_fields = ("subject", "run__course__title")
    readonly_fields = ("run", "session", "author", "audience", "subject", "body", "recipients")

    def has_add_permission(self, request):
        return False
