from django.urls import path

from . import views

app_name = "causes"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("causes/", views.CauseListView.as_view(), name="cause-list"),
    path("causes/<slug:slug>/", views.CauseDetailView.as_view(), name="cause-detail"),
    path("remedies/", views.RemedyListView.as_view(), name="remedy-list"),
    path("remedies/<slug:slug>/", views.RemedyDetailView.as_view(), name="remedy-detail"),
    path("faq/", views.FaqListView.as_view(), name="faq"),
    path("about/", views.PageView.as_view(template_name="causes/about.html"), name="about"),
    path("privacy/", views.PageView.as_view(template_name="causes/privacy.html"), name="privacy"),
]
