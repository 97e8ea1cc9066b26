"""Sign-in links in the admin: superusers confirm or refuse them with an action (the same service
as the district admins' staff page), or delete a refused one so that the person may ask again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

from . import services
from .models import SignInLink


@admin.register(SignInLink)
class SignInLinkAdmin(admin.ModelAdmin):
    list_display = ("user", "provider", "email", "status", "requested_at", "decided_by")
    list_select_related = ("user", "decided_by")
    list_filter = ("status", "provider")
    search_fields = ("user__email", "email", "uid")
    readonly_fields = (
        "user",
        "provider",
        "uid",
        "email",
        "name",
        "status",
        "requested_at",
        "decided_at",
        "decided_by",
    )
    actions = ("approve", "refuse")

    def has_add_permission(self, request):
        return False  # links come from a sign-in at the provider, never typed in

    @admin.action(description=_("Ausgewählte Verknüpfungen bestätigen"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, services.approve_link)

    @admin.action(description=_("Ausgewählte Verknüpfungen ablehnen"), permissions=["change"])
    def refuse(self, request, queryset):
        self._decide(request, queryset, services.refuse_link)

    def _decide(self, request, queryset, service):
        done = 0
        for link in queryset:
            try:
                service(link=link, actor=request.user)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{link}: {error.message}", messages.ERROR)
        if done:
            self.message_user(request, _("%(count)d entschieden.") % {"count": done})
