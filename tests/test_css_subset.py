"""The Bootstrap subset the site serves is current: rebuilding it from the templates changes nothing.

Needs npm's purgecss (`npm ci`); without it this skips with a reason, unless TOESITE_REQUIRE_VALIDATOR=1
(set by .ci/run, which installs the npm tools), which makes it fail instead.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUBSET = ROOT / "static/vendor/bootstrap/subset/bootstrap.min.css"


def test_the_bootstrap_subset_is_rebuilt_from_the_current_templates(tmp_path):
    if not (ROOT / "node_modules/.bin/purgecss").exists():
        message = "purgecss unavailable: run `npm ci`."
        if os.environ.get("TOESITE_REQUIRE_VALIDATOR") == "1":
            pytest.fail(f"TOESITE_REQUIRE_VALIDATOR=1 but {message}", pytrace=False)
        pytest.skip(message)
    make = shutil.which("make") or "make"
    subprocess.run([make, "-s", "css", f"CSS_OUT={tmp_path}/"], cwd=ROOT, check=True, capture_output=True)
    rebuilt = (tmp_path / "bootstrap.min.css").read_text()
    assert rebuilt == SUBSET.read_text(), "static/vendor/bootstrap/subset/ is stale: run `make css` and commit it"
    assert len(rebuilt) < 40_000  # a subset, not the whole of Bootstrap
