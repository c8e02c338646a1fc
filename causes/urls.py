from django.urls import path
from django.views.generic import TemplateView

from . import views

app_name = "causes"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("causes/", views.CauseListView.as_view(), name="cause-list"),
    path("causes/<slug:slug>/", views.CauseDetailView.as_view(), name="cause-detail"),
    path("remedies/", views.RemedyListView.as_view(), name="remedy-list"),
    path("remedies/<slug:slug>/", views.RemedyDetailView.as_view(), name="remedy-detail"),
    path("faq/", views.FaqListView.as_view(), name="faq"),
    path("check-your-symptoms/", views.questionnaire, name="questionnaire"),
    path(
        "about/",
        TemplateView.as_view(template_name="causes/about.html", extra_context=views.STATIC_PAGE_REVIEW),
        name="about",
    ),
    path(
        "privacy/",
        TemplateView.as_view(template_name="causes/privacy.html", extra_context=views.STATIC_PAGE_REVIEW),
        name="privacy",
    ),
]
