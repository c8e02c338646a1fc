from django.urls import path

from . import views

app_name = "questionnaire"

urlpatterns = [
    path("check-your-symptoms/", views.questionnaire, name="check-your-symptoms"),
    path("check-your-symptoms/all/", views.all_questions, name="all-questions"),
]
