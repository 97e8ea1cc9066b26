from django.urls import path

from . import views

app_name = "signin"

urlpatterns = [
    path("staff/sign-in-links/", views.link_list, name="link_list"),
    path("staff/sign-in-links/<int:pk>/", views.link_decide, name="link_decide"),
]
