"""No input, however hostile, gets a server error: every URL pattern, form field and admin search, fuzzed.

Each URL pattern with a parameter, each questionnaire field, each admin sign-in field and the admin's
search, ordering, paging and filters get at least 200 generated inputs (hypothesis, derandomized so
CI always sends the same ones). The PostgreSQL pass sends the first quarter of the same inputs: the
SQLite pass has sent them all through the same views, so the second pass checks the database's side.
The patterns and fields are read from the site itself (the URL
resolver, the admin registry and its filters, the sign-in form, the published questions), so a new
page, model or question is fuzzed without touching this file. Where a field shares a request with
others, every example gives each of them a generated value.
"""

import re
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.db import connection
from django.db.models import GenericIPAddressField
from django.urls import URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from causes.models import Cause
from questionnaire import selectors
from questionnaire.models import Option, Question

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]


def examples(count: int) -> int:
    """Examples per test in this pass: all of them on SQLite, the first quarter on PostgreSQL (see above)."""
    return count if connection.vendor == "sqlite" else max(10, count // 4)


FUZZ = settings(
    max_examples=examples(200),
    deadline=None,
    derandomize=True,  # the same inputs on every run: CI never fails on a new, unrelated draw
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _routes(resolver=None, prefix: str = "", namespace: str | None = None):
    """(namespace, route, pattern) for every URL pattern the site serves, routes joined from the root."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry, prefix + str(entry.pattern), entry.namespace or namespace)
        else:
            yield namespace, prefix + str(entry.pattern), entry


ROUTES = list(_routes())
PARAMETER = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)")  # path() converters and regex groups alike
# The admin's own pages, and the editors' pages under it (editorial/urls.py), are fuzzed as the admin.
PUBLIC = {
    route: pattern for namespace, route, pattern in ROUTES if namespace != "admin" and not route.startswith("admin/")
}
PUBLIC_WITH_PARAMETERS = [route for route in PUBLIC if PARAMETER.search(route)]
ADMIN_WITH_PARAMETERS = [
    route
    for namespace, route, _ in ROUTES
    if (namespace == "admin" or route.startswith("admin/")) and PARAMETER.search(route)
]
# django-otp's authenticator set-up pages (config/ and qrcode/), fuzzed on their own (they once failed).
TOTP_DEVICE_PAGES = [
    route for route in ADMIN_WITH_PARAMETERS if route.startswith("admin/otp_totp/totpdevice/<int:pk>/")
]

CHANGELISTS = {
    reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"): model
    for model in admin.site._registry
}
LOGIN_FIELDS = list((admin.site.login_form or AdminAuthenticationForm).base_fields)

QUESTIONNAIRE = reverse("questionnaire:check-your-symptoms")
PUBLIC_STATUSES = {200, 301, 302, 304, 400, 404, 405}
ADMIN_STATUSES = {200, 301, 302, 400, 403, 404, 405}

# Inputs that have broken web apps before: traversal, NUL, SQL, HTML, template syntax, header
# injection, direction overrides, numbers too big for any column, and the site's own words.
NASTY = [
    "",
    " ",
    "../",
    "../../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "%00",
    "\x00",
    "%",
    "%%",
    "%2e%2e%2f",
    "_",
    "\\",
    "'",
    '"',
    "' OR '1'='1",
    "1; DROP TABLE causes_cause; --",
    "1 UNION SELECT password FROM auth_user",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "\r\nSet-Cookie: pwned=1",
    "\u202e",
    "\ufeff",
    "💥",
    "NaN",
    "-1",
    "0",
    "1e309",
    "9" * 30,
    "-" + "9" * 30,
    "caffeine",
    "drink-water",
    "red-flags",
    "otp_totp.totpdevice/1",
    "causes.cause/1",
]
NASTY_TEXT = st.sampled_from(NASTY)
# Up to 5,000 characters, built by repeating a short piece: cheap to draw, and many words for a search.
LONG_TEXT = st.tuples(NASTY_TEXT.filter(bool) | st.text(min_size=1, max_size=3), st.integers(1, 5000)).map(
    lambda piece_times: (piece_times[0] * piece_times[1])[:5000]
)
# Up to 2,500 words in 5,000 characters: a search makes one condition of each word.
MANY_WORDS = st.tuples(st.sampled_from(["a", "'", "%", "<b>", "💥", "OR"]), st.integers(1, 2500)).map(
    lambda word_times: " ".join([word_times[0]] * word_times[1])[:5000]
)
NUMBERS = st.one_of(
    st.integers(-5, 60),  # real primary keys and their neighbours
    st.integers(),
    st.integers(-(10**40), 10**40),
    st.floats(),
).map(str) | st.integers(1, 5000).map(lambda digits: "9" * digits)
TEXT = st.one_of(
    NASTY_TEXT,
    st.text(max_size=40),  # any code point but lone surrogates, control characters included
    st.text(st.characters(codec="ascii"), max_size=40),
    st.lists(NASTY_TEXT | st.text(max_size=4), min_size=2, max_size=5).map("".join),
    LONG_TEXT,
    MANY_WORDS,
    NUMBERS,
)
SHORT_TEXT = st.one_of(NASTY_TEXT, st.text(max_size=20), NUMBERS)
# One path segment as a client sends it: percent-encoded text or bytes (not always UTF-8), a valid
# slug (up to 5,000 characters), or raw traversal and encoding tricks.
SEGMENT = st.one_of(
    TEXT.map(lambda text: quote(text, safe="")),
    st.binary(max_size=40).map(lambda raw: quote(raw, safe="")),
    st.from_regex(r"[-a-zA-Z0-9_]{1,60}", fullmatch=True),
    st.tuples(st.sampled_from(["a", "-", "_", "9", "caffeine"]), st.integers(1, 5000)).map(
        lambda piece_times: (piece_times[0] * piece_times[1])[:5000]
    ),
    st.sampled_from(["..", ".", "../..", "%2e%2e", "a/b", "/", "//", "%00", "%2F", "%zz", "%u002e", ";", "caffeine"]),
)
QUERY_STRING = st.one_of(
    st.lists(st.tuples(SHORT_TEXT, TEXT), max_size=5).map(lambda pairs: urlencode(pairs)),
    st.binary(max_size=200).map(lambda raw: raw.decode("latin-1")),  # undecoded bytes, as WSGI passes them
    st.sampled_from(["page=1", "page=-1", "page=" + "9" * 30, "page=last", "q=%00", "a=%", "=", "&&&", "a[]=1", "%zz"]),
)
METHODS = st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])


def _fill(route: str, values: list[str]) -> str:
    """The path for a route with each parameter replaced by an already encoded value."""
    template = PARAMETER.sub("\x00", route).replace("^", "").replace("$", "")
    for value in values:
        template = template.replace("\x00", value, 1)
    return "/" + template


def _request(client, method: str, path: str, **extra):
    # secure=True: the site is served over HTTPS only, so a plain request would just be redirected.
    return client.generic(method, path, secure=True, **extra)


def test_the_sweep_covers_every_kind_of_input():
    """What the tests below fuzz is read from the site, so it must not come up empty."""
    assert {"causes/<slug:slug>/", "remedies/<slug:slug>/"} <= set(PUBLIC_WITH_PARAMETERS)
    assert {"", "faq/", QUESTIONNAIRE[1:]} <= set(PUBLIC)
    assert "admin/causes/cause/<path:object_id>/change/" in ADMIN_WITH_PARAMETERS
    assert {reverse("admin:causes_cause_changelist"), reverse("admin:questionnaire_option_changelist")} <= set(
        CHANGELISTS
    )
    assert {"title__icontains", "status__exact", "review"} <= set(_filter_names(Cause))
    assert {"username", "password"} <= set(LOGIN_FIELDS)
    assert TOTP_DEVICE_PAGES and any(_address_fields(model) for model in CHANGELISTS.values())


# Public pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", PUBLIC_WITH_PARAMETERS)
@FUZZ
@given(data=st.data())
def test_no_url_parameter_gives_a_server_error(client, route, data):
    path = _fill(route, [data.draw(SEGMENT, label="segment") for _ in PARAMETER.findall(route)])
    assert _request(client, "GET", path).status_code in PUBLIC_STATUSES


@FUZZ
@given(route=st.sampled_from(list(PUBLIC)), method=METHODS, query_string=QUERY_STRING)
def test_no_query_string_or_method_gives_a_server_error(client, route, method, query_string):
    if PARAMETER.search(route):  # a detail page: its first published item's own address
        path = PUBLIC[route].callback.view_class.queryset.first().get_absolute_url()
    else:
        path = "/" + route
    assert _request(client, method, path, QUERY_STRING=query_string).status_code in PUBLIC_STATUSES


# The questionnaire -------------------------------------------------------------------------------


def _published_questions() -> list[tuple[Question, list[str]]]:
    """The questions the form asks, each with its option ids, as the view reads them."""
    questions = [
        (question, [str(option.id) for option in options]) for question, options in selectors.published_questions()
    ]
    assert len(questions) > 1 and any(question.red_flag for question, _ in questions)
    return questions


@FUZZ
@given(data=st.data())
def test_no_answer_to_any_question_gives_a_server_error(client, data):
    """Every field gets a generated value in every example: 200 per field, in one request each."""
    every_option = st.sampled_from([str(pk) for pk in Option.objects.values_list("id", flat=True)])  # drafts' too
    answers: dict = {}
    for question, option_ids in _published_questions():
        value = st.one_of(st.sampled_from(option_ids), every_option, NUMBERS, TEXT)
        answer = data.draw(st.none() | value | st.lists(value, max_size=6), label=question.key)
        if answer is not None:
            answers[question.key] = answer
    answers.update(data.draw(st.dictionaries(SHORT_TEXT, st.lists(SHORT_TEXT, max_size=3), max_size=3), label="extra"))
    if data.draw(st.booleans(), label="urlencoded"):
        body = urlencode(answers, doseq=True)
        response = client.post(QUESTIONNAIRE, body, content_type="application/x-www-form-urlencoded", secure=True)
    else:
        response = client.post(QUESTIONNAIRE, answers, secure=True)
    assert response.status_code in (200, 400)


def _offered_answers(data) -> dict[str, list[str]]:
    """Any answers a reader could give on the form: only options on offer, as many as each question allows."""
    return {
        question.key: data.draw(
            st.lists(
                st.sampled_from(option_ids),
                unique=True,
                min_size=1 if question.red_flag else 0,
                max_size=1 if question.kind == Question.Kind.SINGLE else len(option_ids),
            ),
            label=question.key,
        )
        for question, option_ids in _published_questions()
    }


@settings(FUZZ, max_examples=examples(100))
@given(data=st.data())
def test_any_choice_of_offered_answers_gives_results(client, data):
    """The results path: every combination of the options on offer is scored and shown."""
    answers = _offered_answers(data)
    response = client.post(QUESTIONNAIRE, answers, secure=True)
    assert response.status_code == 200
    assert "<h1>Your results</h1>" in response.content.decode()


@FUZZ
@given(data=st.data())
def test_no_step_form_gives_a_server_error(client, data):
    """The one-question-a-page form: any step, button, change and return, with any answers carried."""
    questions = _published_questions()
    pages = st.integers(-1, len(questions) + 1).map(str) | st.just("check")
    fields = {
        "step": pages | NASTY_TEXT | NUMBERS,
        "go": st.sampled_from(["next", "back", "more", "results"]) | NASTY_TEXT,
        "change": pages | NASTY_TEXT,
        "return": st.just("check") | NASTY_TEXT,
    }
    form = {"step": data.draw(fields.pop("step"), label="step")}
    for name, values in fields.items():
        value = data.draw(st.none() | values, label=name)
        if value is not None:
            form[name] = value
    every_option = st.sampled_from([str(pk) for pk in Option.objects.values_list("id", flat=True)])
    for question, option_ids in questions:
        value = st.one_of(st.sampled_from(option_ids), every_option, st.just(""), NUMBERS, TEXT)
        answer = data.draw(st.none() | st.lists(value, max_size=4), label=question.key)
        if answer is not None:
            form[question.key] = answer
    response = client.post(QUESTIONNAIRE, form, secure=True)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.content.decode().count("<h1>") == 1


@settings(FUZZ, max_examples=examples(100))
@given(data=st.data())
def test_any_offered_answers_give_the_same_results_from_the_check_page_as_on_one_page(client, data):
    answers = _offered_answers(data)
    carried = {key: values or [""] for key, values in answers.items()}  # as the check page's hidden fields
    steps = client.post(QUESTIONNAIRE, {**carried, "step": "check"}, secure=True)
    one_page = client.post(QUESTIONNAIRE, answers, secure=True)
    assert steps.status_code == one_page.status_code == 200
    main = steps.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    assert "<h1>Your results</h1>" in main
    assert main == one_page.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def _main_of(response) -> str:
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def _form_fields(form: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form):
        fields.setdefault(name, []).append(value)
    return fields


@settings(FUZZ, max_examples=examples(40))
@given(data=st.data())
def test_walking_the_steps_gives_the_same_results_as_the_one_page_form(client, data):
    """A reader who goes page by page, answering whatever each page asks (follow-ups open or not, early
    results passed by "Answer the other questions too"), gets exactly the one-page form's results."""
    answers = _offered_answers(data)
    keys = [question.key for question, _ in _published_questions()]
    page = client.get(QUESTIONNAIRE, secure=True)
    for _ in range(3 * len(keys)):  # each page at most once, plus early results and the check page
        main = _main_of(page)
        if "<h1>Check your answers</h1>" in main:
            page = client.post(QUESTIONNAIRE, {**_form_fields(main), "go": "results"}, secure=True)
            break
        if "<h1>Your results</h1>" in main:
            more = re.search(r'<form[^>]*class="answer-more.*?</form>', main, re.S)
            if not more:
                break
            page = client.post(QUESTIONNAIRE, _form_fields(more.group(0)), secure=True)
            continue
        form = re.search(r'<form[^>]*class="questionnaire step".*?</form>', main, re.S).group(0)
        fields = _form_fields(form)
        key = keys[int(fields["step"][0]) - 1]
        page = client.post(QUESTIONNAIRE, {**fields, key: answers[key], "go": "next"}, secure=True)
    steps = _main_of(page)
    assert "<h1>Your results</h1>" in steps
    assert steps == _main_of(client.post(QUESTIONNAIRE, answers, secure=True))


CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=fuzz",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "text/plain",
    "application/json",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=no-such-charset",
]


@settings(FUZZ, max_examples=examples(100))
@given(
    content_type=st.sampled_from(CONTENT_TYPES) | SHORT_TEXT.filter(lambda text: "\n" not in text),
    body=st.one_of(
        st.binary(max_size=2000),
        st.integers(0, 3000).map(lambda fields: "&".join(f"f{i}=1" for i in range(fields)).encode()),
        st.binary(max_size=200).map(lambda raw: b"--fuzz\r\nContent-Disposition: form-data; " + raw + b"\r\n--fuzz--"),
    ),
)
def test_no_request_body_gives_a_server_error(client, content_type, body):
    response = client.generic("POST", QUESTIONNAIRE, body, content_type=content_type, secure=True)
    assert response.status_code in (200, 400)


# The admin -----------------------------------------------------------------------------------------


def _admin_answer_is_handled(response) -> bool:
    """A page, a refusal, or the changelist's own "invalid lookup" redirect; never a sign-in redirect."""
    if response.status_code == 302:
        return "/login/" not in response["Location"]
    return response.status_code in ADMIN_STATUSES


def test_editor_client_reaches_every_changelist(editor_client):
    """Without this the admin fuzz could be seeing nothing but the sign-in redirect."""
    for changelist in CHANGELISTS:
        assert _request(editor_client, "GET", changelist).status_code == 200, changelist


ORDERINGS = st.one_of(
    st.lists(st.integers(-30, 30).map(str) | st.sampled_from(["-", "--1", "x", "", "1-"]), max_size=5).map(".".join),
    TEXT,
)


@FUZZ
@given(changelist=st.sampled_from(list(CHANGELISTS)), q=TEXT, o=st.none() | ORDERINGS, p=st.none() | NUMBERS | TEXT)
def test_no_admin_search_ordering_or_page_gives_a_server_error(editor_client, changelist, q, o, p):
    params = {"q": q, **({"o": o} if o is not None else {}), **({"p": p} if p is not None else {})}
    response = _request(editor_client, "GET", changelist, QUERY_STRING=urlencode(params))
    assert _admin_answer_is_handled(response), response.status_code


@settings(FUZZ, max_examples=examples(25))  # the broad test above draws long searches too; these are the longest
@given(changelist=st.sampled_from(list(CHANGELISTS)), q=MANY_WORDS)
def test_no_admin_search_of_many_words_gives_a_server_error(editor_client, changelist, q):
    """Found by this module: on SQLite a search of ~1,000 words was a 500 ("Expression tree is too large")."""
    response = _request(editor_client, "GET", changelist, QUERY_STRING=urlencode({"q": q}))
    assert _admin_answer_is_handled(response), response.status_code


# Names the changelists give meaning to, allowed or not, on any model.
CHANGELIST_PARAMETERS = ["all", "e", "_facets", "_to_field", "_popup", "_changelist_filters", "password__startswith"]


def _filter_names(model) -> list[str]:
    """The filter parameters a model's changelist knows: its fields with lookups, and its list_filter."""
    names = []
    for field in model._meta.get_fields():
        if field.concrete:
            lookups = ["__id__exact", "__isnull"] if field.is_relation else ["", "__exact", "__icontains", "__in"]
            names += [field.name + lookup for lookup in [*lookups, "__gt"]]
    for item in admin.site._registry[model].list_filter:
        item = item[0] if isinstance(item, tuple) else item
        names += [f"{item}__exact", f"{item}__id__exact"] if isinstance(item, str) else [item.parameter_name]
    return names + CHANGELIST_PARAMETERS


FILTER_VALUES = st.sampled_from(["1", "0", "True", "draft", "published", "2026-11-21", "1,2", "a\x00b"]) | TEXT


def _params(data, changelist: str) -> list[tuple[str, str]]:
    """One or two filters the changelist knows, sometimes with a made-up one (which it must refuse)."""
    known = st.tuples(st.sampled_from(_filter_names(CHANGELISTS[changelist])), FILTER_VALUES)
    made_up = st.tuples(SHORT_TEXT, SHORT_TEXT)
    return data.draw(st.lists(known, min_size=1, max_size=2), label="filters") + data.draw(
        st.lists(made_up, max_size=1), label="made-up filters"
    )


def _address_fields(model) -> set[str]:
    return {field.name for field in model._meta.fields if isinstance(field, GenericIPAddressField)}


@FUZZ
@given(changelist=st.sampled_from(list(CHANGELISTS)), data=st.data())
def test_no_admin_filter_gives_a_server_error(editor_client, changelist, data):
    params = _params(data, changelist)
    response = _request(editor_client, "GET", changelist, QUERY_STRING=urlencode(params))
    assert _admin_answer_is_handled(response), response.status_code


@settings(FUZZ, max_examples=examples(50))
@given(changelist=st.sampled_from(list(CHANGELISTS)), data=st.data())
def test_no_admin_filter_with_a_nul_character_gives_a_server_error(editor_client, changelist, data):
    """Found by this module: on PostgreSQL a NUL in a text filter was a 500 ("cannot contain NUL")."""
    name = data.draw(st.sampled_from(_filter_names(CHANGELISTS[changelist])), label="name")
    value = data.draw(st.tuples(SHORT_TEXT, SHORT_TEXT).map("\x00".join), label="value")
    response = _request(editor_client, "GET", changelist, QUERY_STRING=urlencode({name: value}))
    assert _admin_answer_is_handled(response), response.status_code


@settings(FUZZ, max_examples=examples(50))
@given(
    changelist=st.sampled_from([url for url, model in CHANGELISTS.items() if _address_fields(model)]),
    lookup=st.sampled_from(["", "__exact", "__in"]),
    value=TEXT,
)
def test_no_admin_filter_on_an_address_gives_a_server_error(editor_client, changelist, lookup, value):
    """Found by this module: on PostgreSQL an address filter that is not an address was a 500 (psycopg's Inet)."""
    name = min(_address_fields(CHANGELISTS[changelist])) + lookup
    response = _request(editor_client, "GET", changelist, QUERY_STRING=urlencode({name: value}))
    assert _admin_answer_is_handled(response), response.status_code


def _admin_url_fuzz(editor_client, routes: list[str], data) -> None:
    route = data.draw(st.sampled_from(routes), label="route")
    path = _fill(route, [data.draw(SEGMENT, label="segment") for _ in PARAMETER.findall(route)])
    response = _request(editor_client, "GET", path)
    assert _admin_answer_is_handled(response), response.status_code


@FUZZ
@given(data=st.data())
def test_no_admin_url_parameter_gives_a_server_error(editor_client, data):
    """Object ids for every model's change, delete and history pages, the catch-all, and the rest."""
    _admin_url_fuzz(editor_client, [route for route in ADMIN_WITH_PARAMETERS if route not in TOTP_DEVICE_PAGES], data)


@settings(FUZZ, max_examples=examples(50))
@given(data=st.data())
def test_no_authenticator_device_id_gives_a_server_error(editor_client, data):
    """Found by this module: django-otp's config/ and qrcode/ pages were a 500 for an unknown device."""
    _admin_url_fuzz(editor_client, TOTP_DEVICE_PAGES, data)


# Signing in ----------------------------------------------------------------------------------------

RIGHT = {"username": "fuzz-editor", "password": "a-long-test-password"}
AXES_USERNAME_LENGTH = 255  # what axes can record


@pytest.fixture
def sign_in_client(client, django_user_model):
    """An anonymous client, and an editor whose password it knows (with an authenticator when 2FA is on)."""
    editor = django_user_model.objects.create_user(**RIGHT, is_staff=True)
    if apps.is_installed("django_otp.plugins.otp_totp"):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    return client


def _forget_failed_sign_ins() -> None:
    """Each input must reach the sign-in form itself, not the lockout that earlier inputs earned."""
    if apps.is_installed("axes"):
        from axes.utils import reset

        reset()


@FUZZ
@given(data=st.data())
def test_no_sign_in_input_gives_a_server_error(sign_in_client, data):
    """Every field of the sign-in form gets a generated value in every example (200 per field).

    A generated username or password is sometimes the right one, so the second factor's fields
    are reached too.
    """
    _forget_failed_sign_ins()
    form = {}
    for field in LOGIN_FIELDS:
        value = st.one_of(TEXT, st.lists(SHORT_TEXT, min_size=2, max_size=3))
        form[field] = data.draw(st.just(RIGHT[field]) | value if field in RIGHT else value, label=field)
    form.update(data.draw(st.dictionaries(SHORT_TEXT, SHORT_TEXT, max_size=2), label="extra"))
    response = sign_in_client.post(reverse("admin:login"), form, secure=True)
    assert response.status_code in (200, 302, 400, 429)


@settings(FUZZ, max_examples=examples(50))
@given(username=LONG_TEXT.filter(lambda text: len(text) > AXES_USERNAME_LENGTH), password=SHORT_TEXT.filter(bool))
def test_no_long_username_gives_a_server_error(sign_in_client, username, password):
    """Found by this module: on PostgreSQL a username of 256+ characters overflowed axes' record, a 500."""
    _forget_failed_sign_ins()
    response = sign_in_client.post(reverse("admin:login"), {"username": username, "password": password}, secure=True)
    assert response.status_code in (200, 400, 429)
