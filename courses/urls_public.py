from django.urls import path

from .views import business, public

urlpatterns = [
    path("runs/<int:pk>/", public.run_detail, name="run"),
    path("runs/<int:pk>/book/", public.book_run, name="book"),
    path("my/", public.my_courses, name="my"),
    path("my/data.json", public.data_export, name="my_data"),
    path("my/delete/", public.delete_account, name="my_delete"),
    path("my/enrolments/<int:pk>/calendar.ics", public.enrolment_calendar, name="my_calendar"),
    path("my/enrolments/<int:pk>/cancel/", public.cancel_enrolment, name="my_cancel"),
    path("business/", business.business_home, name="business"),
    path("business/book/", business.business_book, name="business_book"),
    path("business/enrolments/<int:pk>/cancel/", business.business_cancel, name="business_cancel"),
    path("business/approvals/<str:token>/", business.approval, name="business_approval"),
]
