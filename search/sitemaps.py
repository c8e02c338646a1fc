"""The A to Z in sitemap.xml: it changes when any cause or remedy does."""

import datetime

from causes.models import Cause, Remedy
from causes.sitemaps import OnePageSitemap, latest


class AToZSitemap(OnePageSitemap):
    url_name = "search:a-z"

    def lastmod(self, item: str) -> datetime.datetime | None:
        return latest(Cause, Remedy)
