"""The 500 page must render even when the database is what failed."""

from django.test import RequestFactory
from django.views.defaults import server_error


# No django_db mark: pytest-django makes any database query here raise, so this fails if the page queries.
def test_server_error_page_is_in_the_site_style_and_needs_no_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, something went wrong" in html and "Skip to main content" in html
