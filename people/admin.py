"""Admin for the district: users (e-mail login, no username), organisations, roles, and read-only
(the audit log and the outbox are in core/admin.py). Every list joins what its rows show
(`list_select_related`) so that a page of 100 rows runs a fixed number of queries."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import (
    Business,
    Chamber,
    ChamberLink,
    District,
    Employment,
    EmploymentInvitation,
    Membership,
    School,
    TraineeProfile,
    User,
)


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("role", "district", "school", "business")
    autocomplete_fields = ("school", "business")


class TraineeProfileInline(admin.StackedInline):
    model = TraineeProfile
    extra = 0
    can_delete = False
    # The employer follows the confirmed Employment (people.services.employment).
    readonly_fields = ("business",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "memberships__role", "language")
    search_fields = ("email", "first_name", "last_name")
    readonly_fields = ("last_login", "date_joined", "anonymised_at")
    inlines = (MembershipInline, TraineeProfileInline)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "date_of_birth", "language")}),
        (
            _("Berechtigungen"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Daten"), {"fields": ("last_login", "date_joined", "anonymised_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_inlines(self, request, obj):
        # Roles and profile are added on the change page, after the account exists.
        return self.inlines if obj is not None else ()

    def get_queryset(self, request):
        # The list filter on roles joins memberships; distinct keeps one row per user.
        return super().get_queryset(request).distinct()


class SchoolInline(admin.TabularInline):
    model = School
    extra = 0
    fields = ("name", "code", "city")
    show_change_link = True


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")
    inlines = (SchoolInline,)


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "city", "district")
    list_select_related = ("district",)
    list_filter = ("district",)
    search_fields = ("name", "code", "city")


@admin.register(Chamber)
class ChamberAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "code")


class BusinessContactInline(admin.TabularInline):
    model = Membership
    fk_name = "business"
    extra = 0
    fields = ("user", "role")
    autocomplete_fields = ("user",)
    verbose_name = _("Ansprechperson")
    verbose_name_plural = _("Ansprechpersonen")


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ("name", "chamber", "member_number", "city", "is_active")
    list_select_related = ("chamber",)
    list_filter = ("is_active", "chamber")
    search_fields = ("name", "member_number", "city", "email")
    inlines = (BusinessContactInline,)


@admin.register(TraineeProfile)
class TraineeProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "business", "occupation", "lehrlingsrolle_number")
    list_select_related = ("user", "business")
    list_filter = ("kind", "business__chamber")
    search_fields = (
        "user__email",
        "user__first_name",
        "user__last_name",
        "lehrlingsrolle_number",
        "business__name",
    )
    autocomplete_fields = ("user",)
    readonly_fields = ("business",)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Employment and chamber links change only through their services (the person and the
    business decide), so the admin shows them and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Employment)
class EmploymentAdmin(ReadOnlyAdmin):
    list_display = ("user", "business", "status", "source", "decided_at", "ended_at")
    list_select_related = ("user", "business")
    list_filter = ("status", "source")
    search_fields = ("user__email", "user__last_name", "business__name")


@admin.register(ChamberLink)
class ChamberLinkAdmin(ReadOnlyAdmin):
    list_display = ("user", "chamber", "lehrlingsrolle_number", "status", "created_at")
    list_select_related = ("user", "chamber")
    list_filter = ("status", "chamber")
    search_fields = ("user__email", "lehrlingsrolle_number")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "district", "school", "business")
    list_select_related = ("user", "district", "school", "business")
    list_filter = ("role", "school", "district")
    search_fields = ("user__email", "user__last_name", "school__name", "business__name")
    autocomplete_fields = ("user", "school", "business")


@admin.register(EmploymentInvitation)
class EmploymentInvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "business", "expires_at", "used_at", "revoked_at")
    list_select_related = ("business",)
    search_fields = ("email", "business__name")
    exclude = ("code_hash",)
