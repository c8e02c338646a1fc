"""The warning-sign register checked against its audit record, source page by source page.

`seed/sign_audit.toml` records, for every page the register cites, each sign the page lists, at
the page's own level, and the register sign it maps to (or why it is left out). `problems()` is
pure: it compares that record with a register given as plain data, from the seed file (the test
suite) or from the database as editors left it (the warning-sign admin and `manage.py audit_signs`).
Pages are joined by their address, which the seed and the database share.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .urgency import NEEDS_HELP

AUDIT_FILE = Path(__file__).resolve().parent / "seed" / "sign_audit.toml"
LEVELS = NEEDS_HELP  # a warning sign means getting help


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
    for page in pages:
        where = page.get("url", "?")
        audited.add(where)
        if ("copy" in page) == ("could_not_read" in page):
            found.append(f"{where}: say which copy was read (copy) or why none could be (could_not_read)")
        for record in page.get("signs", []):
            says = record.get("says", "?")
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
