"""Every public page type passes the Nu Html Checker (npm vnu-jar, run with Java) with 0 errors.

Without Java or the checker this skips with a reason, unless TOESITE_REQUIRE_VALIDATOR=1
(set by .ci/run), which makes it fail instead.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from causes.models import Cause, Remedy
from questionnaire import selectors
from questionnaire.models import Option

pytestmark = pytest.mark.django_db

VNU = Path(__file__).resolve().parents[1] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")


def _require_validator():
    if JAVA and VNU.exists():
        return
    message = "Nu Html Checker unavailable: needs Java and `npm ci` (node_modules/vnu-jar)."
    if os.environ.get("TOESITE_REQUIRE_VALIDATOR") == "1":
        pytest.fail(f"TOESITE_REQUIRE_VALIDATOR=1 but {message}", pytrace=False)
    pytest.skip(message)


def _pages(client) -> dict[str, str]:
    def oid(key, label):
        return str(Option.objects.get(question__key=key, label__startswith=label).id)

    paths = [
        *("/", "/causes/", "/remedies/", "/faq/", "/about/", "/privacy/", "/pages/accessibility/"),
        *("/check-your-symptoms/", "/check-your-symptoms/all/", "/nope/"),
    ]
    paths += ["/a-z/", "/glossary/"]
    paths += [cause.get_absolute_url() for cause in Cause.objects.all()]
    paths += [remedy.get_absolute_url() for remedy in Remedy.objects.all()]
    pages = {path: client.get(path).content.decode() for path in paths}
    none = oid("red-flags", "None of these")
    posts = {
        "questionnaire-errors": {},
        "results-self-care": {"red-flags": [none], "how-long": [oid("how-long", "A few days")]},
        "results-see-doctor": {"red-flags": [none], "foot-symptoms": [oid("foot-symptoms", "Numbness")]},
        "results-urgent": {"red-flags": [none], "foot-symptoms": [oid("foot-symptoms", "Pain, swelling, warmth")]},
        "results-emergency": {"red-flags": [oid("red-flags", "A foot suddenly went cold")]},
        "results-no-match": {"red-flags": [none]},
    }
    for name, data in posts.items():
        pages[name] = client.post("/check-your-symptoms/", data).content.decode()
    pages.update(_step_pages(client, none))
    pages["400"] = client.post("/check-your-symptoms/", {f"f{i}": "1" for i in range(3000)}).content.decode()
    cross_site = Client(headers={"Sec-Fetch-Site": "cross-site"})
    pages["403-csrf"] = cross_site.post("/check-your-symptoms/", {}).content.decode()
    pages["500"] = server_error(RequestFactory().get("/")).content.decode()
    pages["search-results"] = client.get("/search/", {"q": "cramping <b>toes</b>"}).content.decode()
    pages["search-no-result"] = client.get("/search/", {"q": "xylophone"}).content.decode()
    pages["search-empty"] = client.get("/search/", {"q": ""}).content.decode()
    pages["feedback-thanks"] = client.get("/feedback/thanks/?page=/causes/caffeine/").content.decode()
    problem = client.post("/feedback/", {"page": "/causes/caffeine/", "helpful": "maybe", "comment": "<b>x</b>"})
    pages["feedback-problem"] = problem.content.decode()
    for _ in range(20):  # past the hourly limit for one address
        response = client.post("/feedback/", {"page": "/causes/caffeine/", "helpful": "yes"})
        if response.status_code == 429:
            break
    assert response.status_code == 429
    pages["feedback-too-many"] = response.content.decode()
    return pages


def _step_pages(client, none: str) -> dict[str, str]:
    """Each page of the questionnaire one question a page, an error, a notice, the check page, an early result."""
    # The path of a reader who opens no follow-up, giving each question its last answer ("None of these", "Not sure").
    questions = [(q, options) for q, options in selectors.published_questions() if q.asked_if is None]
    pages, carried = {}, {"red-flags": [none]}
    for number, (question, options) in enumerate(questions[1:], start=2):
        response = client.post("/check-your-symptoms/", {**carried, "step": str(number - 1)})
        pages[f"step-{number}"] = response.content.decode()
        carried[question.key] = [str(options[-1].id)]
    pages["step-check"] = client.post(
        "/check-your-symptoms/", {**carried, "step": str(len(questions))}
    ).content.decode()
    pages["step-error"] = client.post("/check-your-symptoms/", {"step": "1"}).content.decode()
    pages["step-notice"] = client.post("/check-your-symptoms/", {"step": "9999"}).content.decode()
    emergency = [str(o.id) for question, options in questions if question.red_flag for o in options if o.urgency][0]
    pages["step-early-result"] = client.post(
        "/check-your-symptoms/", {"step": "1", "red-flags": [emergency]}
    ).content.decode()
    assert "<h1>Check your answers</h1>" in pages["step-check"] and "care-emergency" in pages["step-early-result"]
    assert all(f"Question {n} of {len(questions)}" in pages[f"step-{n}"] for n in range(2, len(questions) + 1))
    return pages


def test_every_public_page_is_valid_html(client, seeded, tmp_path):
    _require_validator()
    pages = _pages(client)
    files = {}
    for index, (name, html) in enumerate(pages.items()):
        path = tmp_path / f"page{index}.html"
        path.write_text(html, encoding="utf-8")
        files[str(path)] = name
    result = subprocess.run(
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), f"the checker itself failed: {result.stderr[-2000:]}"
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert len(pages) >= 55
    assert errors == [], "\n".join(errors)
