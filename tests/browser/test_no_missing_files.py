"""Every public page type loads in a real browser with no failed request and no console error.

A missing icon, manifest or style shows as a 404 in the browser's console; a blocked inline script
(the strict CSP) as a console error. JSON-LD is data, not script, so the policy lets it be.
"""

from causes.models import Cause, Remedy

PAGES = [
    "/",
    "/causes/",
    "/remedies/",
    "/faq/",
    "/a-z/",
    "/glossary/",
    "/about/",
    "/privacy/",
    "/check-your-symptoms/",
    "/check-your-symptoms/all/",
    "/search/?q=caffeine",
]


def test_every_public_page_type_loads_without_a_failed_request_or_console_error(shared_site, page):
    paths = [*PAGES, Cause.objects.published().first().get_absolute_url()]
    paths.append(Remedy.objects.published().first().get_absolute_url())
    failed, errors = [], []
    page.on("response", lambda response: response.status >= 400 and failed.append((response.status, response.url)))
    page.on("requestfailed", lambda request: failed.append((request.failure, request.url)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in paths:
        response = page.goto(path, wait_until="networkidle")
        assert response.status == 200, path
        # Icons and the manifest: a browser fetches them only when it needs them, so ask for each.
        hrefs = page.eval_on_selector_all(
            "link[rel~=icon], link[rel=apple-touch-icon], link[rel=manifest], meta[property='og:image']",
            "els => els.map(e => e.href || new URL(e.content).pathname)",
        )
        assert len(hrefs) == 5, (path, hrefs)
        for href in hrefs:
            assert page.request.get(href).status == 200, (path, href)
    for icon in page.request.get("/manifest.webmanifest").json()["icons"]:
        assert page.request.get(icon["src"]).status == 200, icon
    assert failed == [], failed
    assert errors == [], errors
