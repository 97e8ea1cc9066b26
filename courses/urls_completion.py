from django.urls import path

from .views import completion

urlpatterns = [
    path("runs/<int:pk>/", completion.run_completion, name="run_completion"),
]
