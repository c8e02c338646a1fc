"""The warning-sign register: every sign on its causes' pages at its level, emergency advice only in emergency boxes."""

import re

import pytest
from django.urls import reverse

from causes.models import Cause, Remedy, Source, WarningSign
from questionnaire.models import Option
from tests.conftest import approve_waiting, person_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

GENERAL_PAGES = ["/", "/causes/", "/remedies/", "/faq/", "/about/"]
BOX = re.compile(r'<section class="care-card care-(\w+)[^"]*"[^>]*>(.*?)</section>', re.S)


def _main(client, path: str, data: dict | None = None) -> str:
    response = client.post(path, data) if data is not None else client.get(path)
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _boxes(html: str) -> list[tuple[str, str]]:
    return BOX.findall(html)


def _every_page(client):
    paths = [*GENERAL_PAGES, "/privacy/", "/check-your-symptoms/", "/does-not-exist/"]
    paths += [item.get_absolute_url() for item in [*Cause.objects.all(), *Remedy.objects.all()]]
    pages = {path: _main(client, path) for path in paths}
    for option in Option.objects.exclude(urgency=""):
        pages[f"results for {option.label}"] = _main(
            client, "/check-your-symptoms/", {option.question.key: [option.id]}
        )
    return pages


def test_every_sign_is_on_its_causes_pages_in_the_box_of_its_level(client):
    signs = WarningSign.objects.prefetch_related("causes")
    assert signs.count() >= 30
    for cause in Cause.objects.prefetch_related("warning_signs"):
        assert cause.warning_signs.exists(), f"{cause.slug} shows no warning sign"
        boxes = _boxes(_main(client, cause.get_absolute_url()))
        for sign in cause.warning_signs.all():
            levels = [level for level, body in boxes if sign.text in body]
            assert levels == [sign.level], f"{sign.key} on {cause.slug}: in boxes {levels}"


def test_no_page_shows_emergency_advice_outside_an_emergency_box(client):
    emergency_texts = list(WarningSign.objects.filter(level="emergency").values_list("text", flat=True))
    for name, main in _every_page(client).items():
        outside = BOX.sub(lambda box: "" if box.group(1) == "emergency" else box.group(0), main)
        outside = re.sub(r"<[^>]*>", " ", outside)  # what readers see: an answer's id may contain "999" on PostgreSQL
        assert "999" not in outside and "A&amp;E" not in outside, f"emergency advice outside its box on {name}"
        for text in emergency_texts:
            assert text not in outside, f"{text!r} outside an emergency box on {name}"


@pytest.mark.parametrize("path", GENERAL_PAGES)
def test_general_pages_show_the_general_signs_most_urgent_first(client, path):
    boxes = _boxes(_main(client, path))
    order = [level for level, _ in boxes]
    assert order == sorted(order, key=["emergency", "urgent", "see_doctor"].index)
    shown = " ".join(body for _, body in boxes)
    for sign in WarningSign.objects.filter(general=True):
        assert sign.text in shown, f"{sign.key} missing on {path}"
    assert 'Based on: <a href="https://www.nhs.uk/' in shown


def test_an_editors_change_to_a_sign_shows_on_the_pages(client):
    sign = WarningSign.objects.filter(general=True, level="emergency").first()
    sign.text = "you have a brand new warning sign an editor wrote"
    sign.save()
    assert "you have a brand new warning sign an editor wrote" in _main(client, "/")
    for sign in WarningSign.objects.filter(general=True):  # as an editor would, one sign at a time
        sign.general = False
        sign.save()
    main = _main(client, "/")
    assert "brand new warning sign" not in main
    assert [level for level, _ in _boxes(main)] == ["emergency"]  # the fallback still says when to call 999
    assert "Call 999 or your local emergency number" in main


def test_the_general_signs_box_is_rendered_once_per_content_version(client):
    def fresh(path):  # a query string: the view renders it, never the page cache
        response = client.get(path, {"fresh": "1"})
        return response, [template.name for template in response.templates]

    first, rendered = fresh("/causes/")
    assert "includes/get_help.html" in rendered
    again, rendered = fresh("/remedies/")
    assert "includes/get_help.html" not in rendered
    sign = WarningSign.objects.filter(general=True).first()
    assert sign.text in first.content.decode() and sign.text in again.content.decode()
    sign.text = "you have a sign an editor has just reworded"
    sign.save()  # moves the content version on
    after, rendered = fresh("/remedies/")
    assert "includes/get_help.html" in rendered and "a sign an editor has just reworded" in after.content.decode()


def _sign_form(sign: WarningSign, **changes) -> dict:
    data = {name: getattr(sign, name) for name in ("text", "key", "level", "action", "order")}
    data.update(
        general="on" if sign.general else "",
        causes=[cause.pk for cause in sign.causes.all()],
        sources=[source.pk for source in sign.sources.all()],
        status=sign.status,
        last_reviewed=sign.last_reviewed,
        next_review_due=sign.next_review_due,
    )
    return {**data, **changes}


def test_an_editors_change_to_a_live_sign_waits_for_a_reviewer(client, django_user_model):
    editor = person_client(django_user_model, "writer", "Editors")
    reviewer = person_client(django_user_model, "checker", "Clinical reviewers", first_name="Asha", last_name="Patel")
    sign = WarningSign.objects.get(key="sudden-cold-pale-foot")
    url = reverse("admin:causes_warningsign_change", args=[sign.pk])
    response = editor.post(url, _sign_form(sign, text="your foot feels a bit chilly", level="see_doctor"))
    assert response.status_code == 302
    page = _main(client, "/causes/poor-circulation/")
    assert sign.text in page and "a bit chilly" not in page  # readers keep the approved sign
    assert WarningSign.objects.get(pk=sign.pk).level == "emergency"

    approve_waiting(reviewer, sign)
    assert sign.text == "your foot feels a bit chilly" and sign.level == "see_doctor"
    levels = [level for level, body in _boxes(_main(client, "/causes/poor-circulation/")) if "a bit chilly" in body]
    assert levels == ["see_doctor"]
    assert set(sign.options.values_list("urgency", flat=True)) == {"see_doctor"}  # its answers follow the level


def test_a_new_sign_is_a_draft_that_readers_do_not_see(client, django_user_model):
    editor = person_client(django_user_model, "writer", "Editors")
    data = {"text": "you have a brand new sign", "key": "new-sign", "level": "urgent", "action": "", "order": 0}
    data.update(general="on", causes=[Cause.objects.get(slug="caffeine").pk], status="draft")
    data.update(sources=[Source.objects.get(title="Twitching eyes and muscles").pk])
    data.update(last_reviewed="2026-12-01", next_review_due="2027-12-01")
    response = editor.post(reverse("admin:causes_warningsign_add"), {**data, "status": "published"})
    assert "Only a clinical reviewer can publish this." in response.content.decode()
    assert editor.post(reverse("admin:causes_warningsign_add"), data).status_code == 302
    assert WarningSign.objects.get(key="new-sign").status == "draft"
    for path in ("/", "/causes/caffeine/"):
        assert "brand new sign" not in _main(client, path)


def test_an_editor_cannot_take_a_live_sign_off_a_page_from_the_sign(client, django_user_model):
    editor = person_client(django_user_model, "writer", "Editors")
    sign = WarningSign.objects.get(key="sudden-cold-pale-foot")
    url = reverse("admin:causes_warningsign_change", args=[sign.pk])
    response = editor.post(url, _sign_form(sign, causes=[], general=""))
    assert "Only a clinical reviewer can take a live warning sign off a page" in response.content.decode()
    assert sign.text in _main(client, "/causes/poor-circulation/")
    more = [*sign.causes.values_list("pk", flat=True), Cause.objects.get(slug="caffeine").pk]
    assert editor.post(url, _sign_form(sign, causes=more)).status_code == 302  # adding it to a page is fine


def test_an_editor_cannot_take_a_sign_off_a_cause_through_its_inline(client, django_user_model):
    from tests.conftest import SIGN_ROWS, cause_admin_form

    editor = person_client(django_user_model, "writer", "Editors")
    cause = Cause.objects.get(slug="poor-circulation")
    links = list(WarningSign.causes.through.objects.filter(cause=cause))
    data = cause_admin_form(
        cause, **{f"{SIGN_ROWS}TOTAL_FORMS": str(len(links)), f"{SIGN_ROWS}INITIAL_FORMS": str(len(links))}
    )
    for n, link in enumerate(links):  # every row marked for deletion, and the first swapped for another sign
        data.update({f"{SIGN_ROWS}{n}-id": link.pk, f"{SIGN_ROWS}{n}-cause": cause.pk})
        data.update({f"{SIGN_ROWS}{n}-warningsign": link.warningsign_id, f"{SIGN_ROWS}{n}-DELETE": "on"})
    data[f"{SIGN_ROWS}0-warningsign"] = WarningSign.objects.exclude(causes=cause).first().pk
    editor.post(reverse("admin:causes_cause_change", args=[cause.pk]), data)
    assert list(WarningSign.causes.through.objects.filter(cause=cause)) == links
    assert "your foot or leg went cold" in _main(client, "/causes/poor-circulation/")
