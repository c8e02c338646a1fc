"""The warning-sign register checked against its audit record, source page by source page.

`seed/sign_audit.toml` records, for every page the register cites, each sign the page lists, at
the page's own level, and the register sign it maps to (or why it is left out). `problems()` is
pure: it compares that record with a register given as plain data, from the seed file (the test
suite) or from the database as editors left it (the warning-sign admin and `manage.py audit_signs`).
Pages are joined by their address, which the seed and the database share.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .urgency import NEEDS_HELP

AUDIT_FILE = Path(__file__).resolve().parent / "seed" / "sign_audit.toml"
LEVELS = NEEDS_HELP  # a warning sign means getting help

# Whose copy of a page can back a level: the publisher's own site, or a copy the publisher syndicates (NHS 111
# Wales, the NHS website's content API, A.D.A.M. for MedlinePlus, the GP-practice and pharmacy sites that carry
# the NHS text under the NHS licence, and Mayo Clinic's library as it supplies it to its care network's members,
# each named here once a copy on it was read).
PUBLISHERS = frozenset({
    "nhs.uk", "beta.nhs.uk", "medlineplus.gov", "nlm.nih.gov", "ninds.nih.gov", "diabetes.org.uk", "mayoclinic.org",
})  # fmt: skip
SYNDICATED = frozenset({
    "111.wales.nhs.uk", "developer.api.nhs.uk", "adam.com", "default.adam.com", "ssl.adam.com",
    "chartermedicalcentre.co.uk", "silverdalefamilypractice.nhs.uk", "abbeymedical.scot.nhs.uk",
    "broadlanesurgeryhampton.co.uk", "windsorhousegrouppractice.co.uk", "hamsurgery.co.uk",
    "1stchoicepharmacy.co.uk", "clearchemist.co.uk", "drpharmacy.uk", "lawleypharmacy.co.uk",
    "safedalepharmacy.com", "warwickpharmacy.net",
    "rspp.co.id",  # a Mayo Clinic Care Network member: Mayo Clinic's own library, supplied to its members
})  # fmt: skip
# Forums, scrapers, aggregators and unknown reproductions: never evidence for a level.
NOT_EVIDENCE = frozenset({
    "healthunlocked.com", "smugglers-alfriston.co.uk", "scribd.com", "yumpu.com", "mundurek.com",
    "notinline.org", "elispot.biz", "iftrouble.com", "barabone.blog", "judicialjournalsprolink.pages.dev",
    "yuzoneindia.com", "flyertest.damibu.com", "healthmedicinet.com", "mdsite.deno.dev",
    "api-bridge.azurewebsites.net", "london-spring.org", "aide.health", "em-doctors.com", "doctoori.net",
    "inkl.com", "newsbeep.com", "particle.news", "britbrief.co.uk", "theboltonnews.co.uk",
})  # fmt: skip
# A note names a sign by its key: three or more lowercase words joined by hyphens ("cramp-over-10-minutes").
# Ordinary hyphenated words and page addresses in the notes that are not signs:
NOT_SIGNS = frozenset({"out-of-hours", "transient-ischaemic-attack-tia", "when-to-get-help"})
_SIGN_NAME = re.compile(r"(?<![\w/.-])[a-z][a-z0-9]*(?:-[a-z0-9]+){2,}(?![\w/-])")
_ADDRESS = re.compile(r"https?://\S+")
NOTES = ("copy", "could_not_read", "unverified", "says", "left_out")


def host(address: str) -> str:
    """The site an address is on, without "www."."""
    found = urlsplit(address).hostname or ""
    return found.removeprefix("www.")


def copy_kind(address: str) -> str:
    """What kind of copy an address is: "publisher", "syndicated", "not evidence" or "unknown"."""
    site = host(address)
    if site in PUBLISHERS:
        return "publisher"
    if site in SYNDICATED:
        return "syndicated"
    return "not evidence" if site in NOT_EVIDENCE else "unknown"


def named_signs(note: str) -> set[str]:
    """The sign keys a note names, outside its addresses."""
    return set(_SIGN_NAME.findall(_ADDRESS.sub(" ", note))) - NOT_SIGNS


@dataclass(frozen=True)
class RegisterSign:
    key: str
    level: str
    cites: frozenset[str]  # the addresses of the medical pages it cites


def load(path: Path = AUDIT_FILE) -> list[dict[str, Any]]:
    """The audited pages, each with its records."""
    with path.open("rb") as file:
        return list(tomllib.load(file)["pages"])


def problems(pages: Iterable[Mapping[str, Any]], register: Iterable[RegisterSign]) -> list[str]:
    """Every way the audit record and the register disagree, in words; empty when they agree."""
    signs = {sign.key: sign for sign in register}
    found: list[str] = []
    backed: set[str] = set()
    audited: set[str] = set()
    pages = list(pages)
    named = set(signs) | {page.get("source", "") for page in pages}  # a note may name a sign or an audited page
    for page in pages:
        where = page.get("url", "?")
        audited.add(where)
        if ("copy" in page) == ("could_not_read" in page):
            found.append(f"{where}: say which copy was read (copy) or why none could be (could_not_read)")
        evidence = page.get("evidence", [])
        if page.get("read_on") and not evidence:
            found.append(f"{where}: read_on gives a date, but no publisher's copy was read (evidence)")
        if evidence and not page.get("read_on"):
            found.append(f"{where}: say when the evidence was read (read_on)")
        for address in evidence:
            kind = copy_kind(address)
            if kind not in ("publisher", "syndicated"):
                found.append(f"{where}: {address} is given as evidence, but it is {kind}: not the publisher's text")
        for note in (page.get(name, "") for name in NOTES):
            for key in sorted(named_signs(note) - named):
                found.append(f"{where}: a note names {key}, which is not in the register")
        for record in page.get("signs", []):
            says = record.get("says", "?")
            for note in (record.get(name, "") for name in NOTES):
                for key in sorted(named_signs(note) - named):
                    found.append(f"{where}: a note on “{says}” names {key}, which is not in the register")
            if not evidence and "sign" in record and "unverified" not in record:
                found.append(f"{where}: “{says}” rests on no publisher's text: say what it rests on (unverified)")
            level = record.get("level", "")
            if level not in LEVELS:
                found.append(f"{where}: “{says}” has no level the register uses ({level!r})")
            if ("sign" in record) == ("left_out" in record):
                found.append(f"{where}: “{says}” needs either the sign it maps to or why it is left out")
                continue
            if "left_out" in record:
                continue
            sign = signs.get(record["sign"])
            if sign is None:
                found.append(f"{where}: “{says}” maps to {record['sign']}, which is not in the register")
                continue
            if sign.level != level:
                found.append(
                    f"{where}: “{says}” is {level} on the page, but the register has {sign.key} at {sign.level}"
                )
                continue
            if where not in sign.cites:
                found.append(f"{where}: “{says}” maps to {sign.key}, which does not cite this page")
                continue
            backed.add(sign.key)
    for sign in signs.values():
        if sign.key not in backed:
            found.append(f"{sign.key}: no audited page gives this sign at {sign.level}")
        for address in sorted(sign.cites - audited):
            found.append(f"{sign.key}: cites {address}, which has no audit record")
    return found


def checked(pages: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Each sign the record maps: "" when a publisher's text read here backs its level, else what it rests on."""
    backed: set[str] = set()
    resting: dict[str, str] = {}
    for page in pages:
        for record in page.get("signs", []):
            if "sign" not in record:
                continue
            if "unverified" in record:
                resting.setdefault(record["sign"], record["unverified"])
            else:
                backed.add(record["sign"])
    return dict.fromkeys(backed, "") | {key: rests_on for key, rests_on in resting.items() if key not in backed}


@cache
def shipped_checks() -> dict[str, str]:
    """`checked` over the audit record as shipped (read once: it changes only with a release)."""
    return checked(load())
