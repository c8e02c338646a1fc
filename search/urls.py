from django.urls import path

from . import views

app_name = "search"

# Not a public page: results depend on the query, and are private to the reader (never cached).
urlpatterns = [path("search/", views.search, name="search")]
