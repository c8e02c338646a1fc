from django.urls import path

from core.cache import public_page

from . import views

app_name = "causes"

# Every page here is the same for every reader, so the page cache may keep it (core/cache.py).
urlpatterns = [
    path("", public_page(views.HomeView.as_view()), name="home"),
    path("causes/", public_page(views.CauseListView.as_view()), name="cause-list"),
    path("causes/<slug:slug>/", public_page(views.CauseDetailView.as_view()), name="cause-detail"),
    path("remedies/", public_page(views.RemedyListView.as_view()), name="remedy-list"),
    path("remedies/<slug:slug>/", public_page(views.RemedyDetailView.as_view()), name="remedy-detail"),
    path("faq/", public_page(views.FaqListView.as_view()), name="faq"),
    # The site pages that had these addresses before editors wrote them keep them.
    path(
        "about/",
        public_page(views.SitePageView.as_view(slug="about", template_name="causes/about.html")),
        name="about",
    ),
    path("privacy/", public_page(views.SitePageView.as_view(slug="privacy")), name="privacy"),
    path("pages/<slug:slug>/", public_page(views.pages), name="page"),
]
