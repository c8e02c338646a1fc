"""The warning-sign register and its audit record agree, source page by source page, and cannot drift apart."""

import copy
import datetime
import tomllib
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from causes import sign_audit
from causes.models import WarningSign

SEED = Path(sign_audit.__file__).resolve().parent / "seed" / "content.toml"


def _seed_register() -> list[sign_audit.RegisterSign]:
    content = tomllib.loads(SEED.read_text(encoding="utf-8"))
    urls = {source["key"]: source["url"] for source in content["sources"]}
    return [
        sign_audit.RegisterSign(sign["key"], sign["level"], frozenset(urls[key] for key in sign["sources"]))
        for sign in content["signs"]
    ]


def test_the_seed_register_matches_its_audit_record():
    assert sign_audit.problems(sign_audit.load(), _seed_register()) == []


def test_every_audited_page_says_which_copy_was_read_and_when():
    pages = sign_audit.load()
    assert len(pages) >= 30
    for page in pages:
        assert page["url"].startswith("https://") or page["url"].startswith("http://"), page["source"]
        assert ("copy" in page) != ("could_not_read" in page), page["source"]
        assert bool(page.get("read_on")) == bool(page.get("evidence")), page["source"]  # a date only for a reading
    assert sum(bool(page.get("evidence")) for page in pages) >= 20


def test_every_page_the_issue_named_is_audited():
    sources = {page["source"] for page in sign_audit.load()}
    needed = {
        "nhs-tetanus", "nhs-sepsis", "nhs-tia", "nhs-dehydration", "nhs-palpitations",
        "medlineplus-alcohol-withdrawal", "medlineplus-low-calcium", "diabetes-uk-foot", "nhs-diabetic-foot",
    }  # fmt: skip
    assert needed <= sources


def _with(register, key, **changes):
    return [sign_audit.RegisterSign(**{**vars(sign), **changes}) if sign.key == key else sign for sign in register]


def test_a_sign_moved_to_another_level_fails_with_the_page_and_both_levels():
    register = _with(_seed_register(), "sudden-cold-pale-foot", level="urgent")
    found = sign_audit.problems(sign_audit.load(), register)
    assert any("register has sudden-cold-pale-foot at urgent" in problem for problem in found)


def test_a_record_that_maps_to_a_missing_sign_fails():
    register = [sign for sign in _seed_register() if sign.key != "deep-wound"]
    found = sign_audit.problems(sign_audit.load(), register)
    assert any("maps to deep-wound, which is not in the register" in problem for problem in found)


def test_a_sign_no_audited_page_gives_fails():
    register = [*_seed_register(), sign_audit.RegisterSign("made-up", "emergency", frozenset())]
    assert "made-up: no audited page gives this sign at emergency" in sign_audit.problems(sign_audit.load(), register)


def test_a_sign_that_stops_citing_its_page_fails():
    register = _with(_seed_register(), "deep-wound", cites=frozenset())
    found = sign_audit.problems(sign_audit.load(), register)
    assert any("maps to deep-wound, which does not cite this page" in problem for problem in found)


def test_a_record_needs_a_sign_or_a_reason_and_a_copy_or_why_not():
    pages = [{"url": "https://www.nhs.uk/x/", "signs": [{"says": "a sign", "level": "urgent"}]}]
    found = sign_audit.problems(pages, [])
    assert found == [
        "https://www.nhs.uk/x/: say which copy was read (copy) or why none could be (could_not_read)",
        "https://www.nhs.uk/x/: “a sign” needs either the sign it maps to or why it is left out",
    ]


@pytest.mark.django_db
def test_the_database_register_is_checked_by_a_command(seeded):
    call_command("audit_signs", verbosity=0)
    WarningSign.objects.filter(key="deep-wound").update(level="urgent")
    with pytest.raises(CommandError, match="register has deep-wound at urgent"):
        call_command("audit_signs", verbosity=0)


@pytest.mark.django_db
def test_the_register_admin_warns_when_an_editor_moves_a_sign_away_from_its_audit(reviewer_client, seeded):
    url = "/admin/causes/warningsign/"
    assert "no longer matches its audit record" not in reviewer_client.get(url).content.decode()
    WarningSign.objects.filter(key="deep-wound").update(level="urgent")
    html = reviewer_client.get(url).content.decode()
    assert "no longer matches its audit record" in html and "deep-wound at urgent" in html


def _record():
    return copy.deepcopy(sign_audit.load())


def _page(pages, source):
    return next(page for page in pages if page["source"] == source)


def test_a_forum_or_scraper_copy_given_as_evidence_fails():
    pages = _record()
    _page(pages, "nhs-tetanus")["evidence"].append("https://healthunlocked.com/tag/tetanus")
    found = sign_audit.problems(pages, _seed_register())
    assert any("healthunlocked.com/tag/tetanus is given as evidence, but it is not evidence" in p for p in found)
    _page(pages, "nhs-tetanus")["evidence"] = ["https://example.org/tetanus"]
    found = sign_audit.problems(pages, _seed_register())
    assert any("example.org/tetanus is given as evidence, but it is unknown" in p for p in found)


def test_a_date_for_a_page_that_was_not_read_fails():
    pages = _record()
    page = _page(pages, "nhs-stress")
    assert "could_not_read" in page and "read_on" not in page
    page["read_on"] = datetime.date(2026, 12, 5)
    found = sign_audit.problems(pages, _seed_register())
    assert f"{page['url']}: read_on gives a date, but no publisher's copy was read (evidence)" in found


def test_a_note_that_names_a_sign_not_in_the_register_fails():
    pages = _record()
    page = _page(pages, "nhs-leg-cramps")
    page["copy"] += " The register's cramp-after-wound matches the older version."
    found = sign_audit.problems(pages, _seed_register())
    assert f"{page['url']}: a note names cramp-after-wound, which is not in the register" in found
    page["signs"][0]["says"] += " (see also cramp-over-10-minutes and out-of-hours care on 2026-12-07)"
    assert sign_audit.problems(pages, _seed_register()) == [found[0]]  # a sign, a plain word and a date pass


def test_a_level_no_publisher_text_backs_must_say_it_is_unverified_and_on_what_it_rests():
    pages = _record()
    page = _page(pages, "nhs-stress")
    record = next(record for record in page["signs"] if "sign" in record)
    del record["unverified"]
    found = sign_audit.problems(pages, _seed_register())
    assert any("rests on no publisher's text: say what it rests on (unverified)" in p for p in found)


def test_copies_are_named_by_kind_publishers_and_the_copies_they_syndicate_only_are_evidence():
    assert sign_audit.copy_kind("https://www.nhs.uk/conditions/sciatica/") == "publisher"
    assert sign_audit.copy_kind("https://111.wales.nhs.uk/Brokentoe/") == "syndicated"
    assert sign_audit.copy_kind("https://default.adam.com/content.aspx?gid=000315") == "syndicated"
    assert sign_audit.copy_kind("https://notinline.org/health-conditions/dehydration") == "not evidence"
    assert sign_audit.copy_kind("https://www.lpft.nhs.uk/contact-us/need-help-now") == "unknown"


def test_the_unverified_signs_are_those_no_read_page_backs():
    checks = sign_audit.checked(sign_audit.load())
    assert checks["stress-affecting-life"]  # the NHS stress page was read only in partial copies
    assert checks["alcohol-withdrawal"]
    assert checks["deep-wound"] == ""  # the NHS tetanus page, in the NHS content API's copy
    assert set(checks) == {sign.key for sign in _seed_register()}


@pytest.mark.django_db
def test_the_register_admin_shows_editors_and_reviewers_which_signs_are_unverified(reviewer_client, seeded):
    html = reviewer_client.get("/admin/causes/warningsign/").content.decode()
    assert "Level read on the publisher" in html and 'alt="False"' in html and 'alt="True"' in html
    stress = WarningSign.objects.get(key="stress-affecting-life")
    html = reviewer_client.get(f"/admin/causes/warningsign/{stress.pk}/change/").content.decode()
    assert "Unverified: no publisher&#x27;s text read here backs this level." in html
    wound = WarningSign.objects.get(key="deep-wound")
    html = reviewer_client.get(f"/admin/causes/warningsign/{wound.pk}/change/").content.decode()
    assert "Read on the publisher&#x27;s own page, or a copy the publisher syndicates." in html


def test_a_source_carries_a_read_date_only_when_a_publishers_copy_of_it_was_read():
    content = tomllib.loads(SEED.read_text(encoding="utf-8"))
    accessed = {source["key"]: source.get("accessed") for source in content["sources"]}
    cited = [page for page in sign_audit.load() if page["source"] in accessed]  # not a page only read to leave out
    assert len(cited) >= 30
    for page in cited:
        assert bool(accessed[page["source"]]) == bool(page.get("read_on")), page["source"]


@pytest.mark.django_db
def test_a_page_names_no_read_date_for_a_source_nobody_could_read(client, seeded):
    from causes.models import Source

    stress = Source.objects.get(url__contains="/stress/")
    assert stress.accessed is None
    html = client.get("/causes/stress-and-anxiety/").content.decode()
    line = next(line for line in html.splitlines() if stress.publisher in line and "stress/" in line)
    assert "(read " not in line
    assert "(read " in html  # the sources that were read keep their date
