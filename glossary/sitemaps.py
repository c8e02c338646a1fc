"""The glossary page in sitemap.xml: it changes when any term does."""

import datetime

from django.db.models import Max
from django.urls import reverse

from causes.sitemaps import WRITTEN, SiteSitemap

from .models import GlossaryTerm


class GlossarySitemap(SiteSitemap):
    def items(self) -> list[str]:
        return ["glossary:glossary"]

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str) -> datetime.datetime:
        at = GlossaryTerm.history.aggregate(at=Max("history_date"))["at"]
        return max(WRITTEN, at) if at else WRITTEN
