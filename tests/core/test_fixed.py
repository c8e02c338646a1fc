"""`{% fixed %}`: the header, footer and head links, rendered once per process and the same as before."""

from pathlib import Path

import pytest
from django.template import TemplateSyntaxError, engines
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import set_script_prefix

from core.templatetags.seo import Crumb

BASE = Path(__file__).resolve().parents[2] / "templates" / "base.html"


def _render(source: str) -> str:
    return engines["django"].from_string("{% load fixed %}" + source).render({})


@pytest.mark.parametrize(
    "inside",
    [
        "{{ answers }}",  # anything a reader sent or sees alone
        "{% if breadcrumbs %}x{% endif %}",
        "{% url 'causes:cause-detail' slug %}",
        "{% url view_name %}",
        "{% url 'causes:home' as home %}",
        "{% static path %}",
        "{% static 'css/site.css'|lower %}",
        "{% include name %}",  # which template, chosen at render time
        "{% include 'includes/site_nav.html' with answers=answers %}",  # values passed in
        "{% include 'includes/feedback.html' %}",  # a template with more than text and fixed look-ups
    ],
)
def test_only_text_and_fixed_urls_may_be_kept(inside):
    with pytest.raises(TemplateSyntaxError):
        _render("{% load static %}{% fixed %}" + inside + "{% endfixed %}")


def test_a_named_template_of_fixed_parts_may_be_included_once_and_used_twice():
    """The main links, in the phone menu and the wide header, are one list (templates/includes/site_nav.html)."""
    rendered = _render("{% fixed %}{% include 'includes/site_nav.html' %}{% endfixed %}")
    assert rendered.count('<a href="/causes/">Causes</a>') == 1
    assert get_template("base.html").template.source.count('{% include "includes/site_nav.html" %}') == 2


def test_a_fixed_part_follows_the_script_prefix_its_urls_start_with():
    template = engines["django"].from_string(
        "{% load fixed %}{% fixed %}<a href=\"{% url 'causes:faq' %}\">{% endfixed %}"
    )
    try:
        assert template.render({}) == '<a href="/faq/">'
        set_script_prefix("/toesite/")
        assert template.render({}) == '<a href="/toesite/faq/">'
    finally:
        set_script_prefix("/")
    assert template.render({}) == '<a href="/faq/">'


def test_a_fixed_part_follows_a_change_of_settings(settings):
    """Tests change the static storage or the URLs in one process; a server never does."""
    template = engines["django"].from_string(
        "{% load fixed static %}{% fixed %}{% static 'css/site.css' %}{% endfixed %}"
    )
    assert template.render({}) == "/static/css/site.css"
    settings.STATIC_URL = "/assets/"
    assert template.render({}) == "/assets/css/site.css"


@pytest.mark.parametrize("search_query", ["", "cramp", "<b>twitch</b>"])
def test_every_page_is_byte_for_byte_what_it_was_without_fixed_parts(search_query):
    """base.html with its {% fixed %} tags taken out renders each page the same, the search box's value included."""
    plain = engines["django"].from_string(BASE.read_text().replace("{% fixed %}", "").replace("{% endfixed %}", ""))
    request = RequestFactory().get("/search/")
    for crumbs in ([], [Crumb("Check your symptoms", "/check-your-symptoms/"), Crumb("Your results")]):
        context = {"search_query": search_query, "breadcrumbs": crumbs}
        for _ in range(2):  # rendered, then kept
            assert get_template("base.html").render(context, request) == plain.render(context, request)


def test_the_kept_header_has_no_search_query_in_it():
    request = RequestFactory().get("/search/")
    first = get_template("base.html").render({"search_query": "my own words"}, request)
    second = get_template("base.html").render({}, request)
    assert 'value="my own words"' in first and "my own words" not in second
