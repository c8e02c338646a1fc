"""The production settings plus one minimal page, so `make bench` can measure the framework floor.

Used only by the gunicorn that bench/bench.py starts; never by the site.
"""

from toesite.settings import *  # noqa: F403
from toesite.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
