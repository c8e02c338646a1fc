"""The warning-sign register and its audit record agree, source page by source page, and cannot drift apart."""

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
        assert page["read_on"], page["source"]
        assert ("copy" in page) != ("could_not_read" in page), page["source"]


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
