"""Admin for the chamber API. Key hashes and webhook secrets are never shown; a key created here
goes through api.services.create_api_key and its plaintext is shown once, on the page that answers
the form, and stored nowhere (not in a message, not in the session)."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .models import (
    SCOPES,
    ApiKey,
    IdempotencyRecord,
    Tombstone,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Berechtigungen"), choices=SCOPES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiKey
        fields = ("chamber", "name", "scopes", "expires_at")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "chamber",
        "prefix",
        "scope_list",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    list_select_related = ("chamber",)
    list_filter = ("chamber", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "chamber__name")
    actions = ("revoke",)

    def get_form(self, request, obj=None, **kwargs):
        # The scope checkboxes exist only while creating: afterwards scopes are read-only.
        kwargs["form"] = ApiKeyForm if obj is None else forms.ModelForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("chamber", "name", "scopes", "expires_at")
        return (
            "chamber",
            "name",
            "prefix",
            "scope_list",
            "expires_at",
            "revoked_at",
            "last_used_at",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # A key's chamber and scopes are fixed once issued: a different need gets a new key.
        return ("chamber", "prefix", "scope_list", "revoked_at", "last_used_at")

    @admin.display(description=_("Berechtigungen"))
    def scope_list(self, obj):
        return ", ".join(obj.scopes)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        from .services import create_api_key

        key, plaintext = create_api_key(
            chamber=form.cleaned_data["chamber"],
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.cleaned_data.get("expires_at"),
            actor=request.user,
        )
        # The admin goes on with `obj` (log entry, redirect): make it the saved key.
        for field in ApiKey._meta.concrete_fields:
            setattr(obj, field.attname, getattr(key, field.attname))
        obj._state.adding = False
        obj._state.db = key._state.db
        request._api_key_plaintext = plaintext

    def response_add(self, request, obj, post_url_continue=None):
        plaintext = getattr(request, "_api_key_plaintext", None)
        if plaintext is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "key": obj,
            "plaintext": plaintext,
            "title": _("API-Schlüssel erstellt"),
        }
        response = TemplateResponse(request, "admin/api/apikey/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Ausgewählte Schlüssel widerrufen"))
    def revoke(self, request, queryset):
        from .services import revoke_api_key

        for key in queryset:
            revoke_api_key(api_key=key, actor=request.user)
        self.message_user(
            request, _("%d Schlüssel widerrufen.") % queryset.count(), messages.SUCCESS
        )


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "chamber", "event_list", "is_active", "deleted_at")
    list_select_related = ("chamber",)
    list_filter = ("is_active", "chamber")
    search_fields = ("url", "chamber__name")
    # The signing secret stays encrypted and out of sight; chambers register endpoints via the API.
    fields = ("chamber", "url", "event_list", "is_active", "deleted_at")
    readonly_fields = ("chamber", "url", "event_list", "deleted_at")

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Ereignisse"))
    def event_list(self, obj):
        return ", ".join(obj.events)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("at", "status_code", "error", "duration_ms")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("event", "endpoint", "status", "attempts", "next_attempt_at", "delivered_at")
    list_select_related = ("event", "endpoint")
    list_filter = ("status",)
    search_fields = ("endpoint__url", "event__type")
    inlines = (WebhookAttemptInline,)
    actions = ("redeliver_selected",)

    @admin.action(description=_("Erneut zustellen"))
    def redeliver_selected(self, request, queryset):
        from .services.deliveries import redeliver

        for delivery in queryset:
            redeliver(delivery=delivery, actor=request.user)
        self.message_user(
            request,
            _("%d Zustellungen werden erneut gesendet.") % queryset.count(),
            messages.SUCCESS,
        )


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("delivery", "at", "status_code", "error", "duration_ms")
    list_select_related = ("delivery",)


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("key", "api_key", "response_status", "created_at")
    list_select_related = ("api_key__chamber",)
    search_fields = ("key",)
    exclude = ("response_body",)


@admin.register(Tombstone)
class TombstoneAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("resource", "object_id", "chamber", "deleted_at")
    list_select_related = ("chamber",)
    list_filter = ("resource", "chamber")
    search_fields = ("object_id",)
