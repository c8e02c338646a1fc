"""The glossary page in sitemap.xml: it changes when any term does."""

import datetime

from django.db.models import Max

from causes.sitemaps import WRITTEN, OnePageSitemap

from .models import GlossaryTerm


class GlossarySitemap(OnePageSitemap):
    url_name = "glossary:glossary"

    def lastmod(self, item: str) -> datetime.datetime:
        at = GlossaryTerm.history.aggregate(at=Max("history_date"))["at"]
        return max(WRITTEN, at) if at else WRITTEN
