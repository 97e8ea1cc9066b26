from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from .views import (
    attendance,
    businesses,
    certificates,
    courses,
    demand,
    docs,
    enrolments,
    moochub,
    runs,
    tombstones,
    trainees,
    webhooks,
)

app_name = "api"

router = SimpleRouter()
router.register("courses", courses.CourseViewSet, basename="course")
router.register("runs", runs.RunViewSet, basename="run")
router.register("enrolments", enrolments.EnrolmentViewSet, basename="enrolment")
router.register("attendance", attendance.AttendanceViewSet, basename="attendance")
router.register("businesses", businesses.BusinessViewSet, basename="business")
router.register("trainees", trainees.TraineeViewSet, basename="trainee")
router.register("certificates", certificates.CertificateViewSet, basename="certificate")
router.register("tombstones", tombstones.TombstoneViewSet, basename="tombstone")
router.register("webhooks", webhooks.WebhookViewSet, basename="webhook")
router.register("demand/courses", demand.CourseInterestViewSet, basename="course-interest")

urlpatterns = [
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.DocsView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", docs.RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("moochub/courses/", moochub.MoochubCoursesView.as_view(), name="moochub-courses"),
    *router.urls,
    # Anything else under /api/v1/ is a problem-details 404, not an HTML page. [\s\S]: a path
    # with an encoded newline (%0A) must not fall through to the HTML 404.
    re_path(r"^[\s\S]*$", docs.ApiNotFoundView.as_view(), name="not-found"),
]
