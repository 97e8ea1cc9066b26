"""Admin for interest, course requests and feedback questions. Feedback responses and receipts are
deliberately not here: the admin must not show answers below the anonymity threshold."""

from django.contrib import admin

from .models import CourseRequest, FeedbackQuestion, Interest


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ("course", "user", "business", "participants", "expires_at", "withdrawn_at")
    list_filter = ("course__school",)
    search_fields = ("course__title", "user__email", "business__name")
    raw_id_fields = ("user", "course", "business")
    date_hierarchy = "created_at"


@admin.register(CourseRequest)
class CourseRequestAdmin(admin.ModelAdmin):
    list_display = ("title", "business", "topic", "school", "participants", "status", "created_at")
    list_filter = ("status", "topic", "school")
    search_fields = ("title", "business__name")
    raw_id_fields = ("business", "requested_by", "course", "answered_by", "run")


@admin.register(FeedbackQuestion)
class FeedbackQuestionAdmin(admin.ModelAdmin):
    list_display = ("text_de", "course", "position", "is_active")
    list_filter = ("is_active",)
    raw_id_fields = ("course",)
