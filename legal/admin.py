from django.contrib import admin

from .models import BarrierReport


@admin.register(BarrierReport)
class BarrierReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "page_url", "email", "handled_at"]
    list_filter = ["handled_at"]
    search_fields = ["message", "page_url", "email", "name"]
    readonly_fields = ["created_at", "name", "email", "page_url", "message"]
