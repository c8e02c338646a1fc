import pytest
from django.urls import resolve, reverse

ROUTES = [
    ("causes:home", {}, "/"),
    ("causes:cause-list", {}, "/causes/"),
    ("causes:cause-detail", {"slug": "caffeine"}, "/causes/caffeine/"),
    ("causes:remedy-list", {}, "/remedies/"),
    ("causes:remedy-detail", {"slug": "drink-water"}, "/remedies/drink-water/"),
    ("causes:faq", {}, "/faq/"),
    ("questionnaire:check-your-symptoms", {}, "/check-your-symptoms/"),
    ("causes:about", {}, "/about/"),
    ("causes:privacy", {}, "/privacy/"),
]


@pytest.mark.parametrize(("name", "kwargs", "path"), ROUTES)
def test_url_names_and_paths_round_trip(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    match = resolve(path)
    assert f"{match.namespace}:{match.url_name}" == name
    assert match.kwargs == kwargs
