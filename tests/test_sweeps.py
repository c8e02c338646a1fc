"""Every named URL, and the odd requests attackers send, get a sane status and the security headers."""

import re

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from causes.models import Cause
from editorial.models import EditorRequest
from tests.conftest import enrol
from tests.test_security import assert_security_headers, https_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]


def named_urls() -> list[tuple[str, str]]:
    """(name, pattern) of every named URL the site serves, its own and the admin's."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield namespace + pattern.name, str(pattern.pattern)

    return sorted(set(walk(get_resolver().url_patterns)))


def _arguments(pattern: str, device_pk: int) -> dict[str, str]:
    """Real values for a pattern's arguments: an existing cause, app or object."""
    cause = Cause.objects.get(slug="caffeine")
    values = {
        "slug": "caffeine",
        "app_label": "causes",
        "object_id": str(cause.pk),
        "content_type_id": str(ContentType.objects.get_for_model(Cause).pk),
        "id": str(device_pk),
        "pk": str(device_pk),
        "change_id": "1",
        "model_name": "cause",
    }
    return {name: values[name] for name in re.findall(r"<(?:\w+:)?(\w+)>", pattern)}


def _url(name: str, pattern: str, device_pk: int) -> str:
    if name.endswith("_simple_history"):  # django-simple-history's one version of an item: positional
        model = apps.get_model(*name.removeprefix("admin:").removesuffix("_simple_history").split("_", 1))
        version = model.history.order_by("history_id").first()
        return reverse(name, args=[version.id, version.history_id])
    kwargs = _arguments(pattern, device_pk)
    if "slug" in kwargs and name.endswith("remedy-detail"):
        kwargs["slug"] = "drink-water"
    if "slug" in kwargs and name == "causes:page":
        kwargs["slug"] = "accessibility"
    if name.startswith("admin:") and "object_id" in kwargs and "_totpdevice_" in name:
        kwargs["object_id"] = str(device_pk)
    if name.startswith("admin:auth_user_"):
        user_pk = str(get_user_model().objects.get(username="editor").pk)
        kwargs.update({key: user_pk for key in kwargs if key in ("id", "object_id")})
    if name == "editorial:answer":  # a request to answer: made here, as an editor would
        cause = Cause.objects.get(slug="caffeine")
        made = EditorRequest.objects.create(
            content_type=ContentType.objects.get_for_model(Cause),
            object_id=str(cause.pk),
            title=cause.title,
            kind="withdraw",
            reason="Sweep.",
        )
        return reverse(name, args=[made.pk])
    if name.startswith("admin:") and "object_id" in kwargs and "_logentry_" in name:
        kwargs["object_id"] = str(LogEntry.objects.first().pk)
    return reverse(name, kwargs=kwargs)


def _device_pk() -> int:
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-test-password")
    return enrol(user).pk


def test_every_named_url_answers_a_reader_sanely_with_the_headers():
    device_pk = _device_pk()
    client = https_client()
    urls = named_urls()
    assert len(urls) > 50  # the admin's too
    for name, pattern in urls:
        url = _url(name, pattern, device_pk)
        response = client.get(url)
        if name.startswith("admin:") and name not in ("admin:login", "admin:logout", "admin:jsi18n"):
            assert response.status_code == 302 and "/admin/login/" in response["Location"], (name, url)
        else:
            assert response.status_code in (200, 302, 405), (name, url, response.status_code)
        assert_security_headers(response)


REFUSED_TO_EDITORS = {
    "admin:autocomplete",
    "admin:otp_totp_totpdevice_config",
    "admin:otp_totp_totpdevice_qrcode",
    "admin:feedback_feedback_add",
    # Each person has one e-mail setting, made when they first open the list; it is changed, never added or deleted.
    "admin:accounts_emailchoice_add",
    "admin:accounts_emailchoice_delete",
}


POST_ONLY = {"feedback:send", "editorial:approve-many"}


def test_every_named_url_answers_an_editor_without_an_error(editor_client):
    LogEntry.objects.log_actions(
        user_id=get_user_model().objects.get(username="editor").pk,
        queryset=Cause.objects.filter(slug="caffeine"),
        action_flag=2,
        change_message="Checked.",
    )
    device_pk = enrol(get_user_model().objects.get(username="editor")).pk
    for name, pattern in named_urls():
        if name == "admin:logout":
            continue  # would end the sweep's own session
        url = _url(name, pattern, device_pk)
        response = editor_client.get(url, headers={"X-Forwarded-Proto": "https"})
        # Autocomplete needs a field to complete; sign-in attempts and reader feedback are recorded,
        # never added by hand; an authenticator's secret is shown once, by `manage.py enrol_totp`.
        refused = {403} if name in REFUSED_TO_EDITORS or name.startswith("admin:axes_") else set()
        refused |= {405} if name in POST_ONLY else set()
        assert response.status_code < 400 or response.status_code in refused, (name, url, response.status_code)
        assert_security_headers(response)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("trace", "/", {405}),
        ("trace", "/admin/", {302, 405}),
        ("get", "/.git/HEAD", {404}),
        ("get", "/.env", {404}),
        ("get", "/admin/../", {200, 301, 302, 404}),
        ("get", "/causes/../admin/", {200, 301, 302, 404}),
        ("get", "/causes/" + "a" * 5000 + "/", {404, 414}),
        ("get", "/static/../toesite/settings.py", {404}),
        ("get", "/causes/%00/", {400, 404}),
        ("get", "/causes/%c0%ae%c0%ae/", {400, 404}),
        ("put", "/causes/caffeine/", {405}),
        ("delete", "/check-your-symptoms/", {405}),
        ("options", "/", {200, 405}),
    ],
)
def test_odd_requests_get_a_plain_refusal_with_the_headers(method, path, allowed):
    response = getattr(https_client(), method)(path)
    assert response.status_code in allowed, response.status_code
    assert_security_headers(response)
    assert b"Traceback" not in response.content and b"settings.py" not in response.content
