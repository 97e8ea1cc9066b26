"""The pages of demand (names in the "demand" namespace): interest and feedback for participants,
course requests for businesses, the demand board, feedback results and statistics for staff."""

from django.urls import path

from .views import board, feedback, interest, planning, requests, statistics

app_name = "demand"

urlpatterns = [
    # Participants
    path("interest/courses/<int:course_id>/", interest.interest_form, name="interest"),
    path("my/interests/", interest.my_interest_list, name="my_interests"),
    path("my/interests/<int:pk>/renew/", interest.renew, name="interest_renew"),
    path("my/interests/<int:pk>/withdraw/", interest.withdraw, name="interest_withdraw"),
    path("my/feedback/<int:run_id>/", feedback.feedback_form, name="feedback_form"),
    # Businesses
    path("business/requests/", requests.business_requests, name="business_requests"),
    path("business/requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    # Coordinators and the district admin
    path("staff/demand/", board.board, name="board"),
    path("staff/demand/requests/", requests.staff_requests, name="staff_requests"),
    path("staff/demand/courses/<int:course_id>/plan/", planning.plan_run, name="plan_run"),
    path("staff/feedback/runs/<int:run_id>/", feedback.run_results, name="feedback_run"),
    path(
        "staff/feedback/courses/<int:course_id>/", feedback.course_results, name="feedback_course"
    ),
    path(
        "staff/feedback/courses/<int:course_id>/questions/<int:question_id>/retire/",
        feedback.question_retire,
        name="feedback_question_retire",
    ),
    path(
        "staff/feedback/instructors/<int:user_id>/",
        feedback.instructor_results,
        name="feedback_instructor",
    ),
    path("staff/statistics/", statistics.statistics, name="statistics"),
    path("staff/statistics/data.<str:fmt>", statistics.statistics_export, name="statistics_export"),
]
