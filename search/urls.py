from django.urls import path

from core.cache import public_page

from . import views

app_name = "search"

urlpatterns = [
    # Not a public page: results depend on the query, and are private to the reader (never cached).
    path("search/", views.search, name="search"),
    # The same for every reader, so the page cache may keep it.
    path("a-z/", public_page(views.AToZView.as_view()), name="a-z"),
]
