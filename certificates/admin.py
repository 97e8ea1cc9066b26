"""Admin for certificates: a read-only view. Issuing, revoking and reissuing go through
certificates.services (numbering under lock, PDF, audit, webhook event) from the staff pages, so
the admin cannot bypass them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Certificate, CertificateSequence, IssueJob


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("number", "participant", "course", "issued_at", "is_valid", "revoked_at")
    list_select_related = ("enrolment__participant", "enrolment__run__course")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "enrolment__run__school")
    search_fields = (
        "number",
        "verification_code",
        "enrolment__participant_name",
        "enrolment__participant__email",
    )
    date_hierarchy = "issued_at"

    @admin.display(description=_("Teilnehmer:in"))
    def participant(self, obj):
        return obj.enrolment.participant_name or obj.enrolment.participant

    @admin.display(description=_("Kurs"))
    def course(self, obj):
        return obj.enrolment.run.course.title

    @admin.display(description=_("gültig"), boolean=True)
    def is_valid(self, obj):
        return obj.is_valid


@admin.register(CertificateSequence)
class CertificateSequenceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("school", "year", "last_number")
    list_select_related = ("school",)
    list_filter = ("year",)


@admin.register(IssueJob)
class IssueJobAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("run", "status", "done", "total", "requested_by", "created_at", "finished_at")
    list_select_related = ("run__course", "requested_by")
    list_filter = ("status",)
