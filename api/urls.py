from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from . import views
from .demand import CourseInterestViewSet
from .moochub import MoochubCoursesView
from .public import ApiNotFoundView, DocsView, RedocView, SchemaView

app_name = "api"

router = SimpleRouter()
router.register("courses", views.CourseViewSet, basename="course")
router.register("runs", views.RunViewSet, basename="run")
router.register("enrolments", views.EnrolmentViewSet, basename="enrolment")
router.register("attendance", views.AttendanceViewSet, basename="attendance")
router.register("businesses", views.BusinessViewSet, basename="business")
router.register("trainees", views.TraineeViewSet, basename="trainee")
router.register("certificates", views.CertificateViewSet, basename="certificate")
router.register("tombstones", views.TombstoneViewSet, basename="tombstone")
router.register("webhooks", views.WebhookViewSet, basename="webhook")
router.register("demand/courses", CourseInterestViewSet, basename="course-interest")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("moochub/courses/", MoochubCoursesView.as_view(), name="moochub-courses"),
    *router.urls,
    # Anything else under /api/v1/ is a problem-details 404, not an HTML page. [\s\S]: a path
    # with an encoded newline (%0A) must not fall through to the HTML 404.
    re_path(r"^[\s\S]*$", ApiNotFoundView.as_view(), name="not-found"),
]
