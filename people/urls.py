from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("my/employer/", views.my_employer, name="my_employer"),
    path("my/employer/ask/", views.my_employer_ask, name="my_employer_ask"),
    path("my/employer/code/", views.my_employer_code, name="my_employer_code"),
    path("my/chamber-link/<str:token>/", views.chamber_link, name="chamber_link"),
    path("employment/<int:pk>/end/", views.employment_end, name="employment_end"),
    path("employment/invitations/<str:code>/", views.invitation, name="invitation"),
    path("business/people/", views.business_people, name="business_people"),
    path("business/people/invite/", views.business_invite, name="business_invite"),
    path("business/people/<int:pk>/decide/", views.business_decide, name="business_decide"),
    path(
        "business/people/invitations/<int:pk>/revoke/",
        views.business_revoke_invitation,
        name="business_revoke_invitation",
    ),
]
