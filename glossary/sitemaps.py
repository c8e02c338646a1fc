"""The glossary page in sitemap.xml: it changes when any term does."""

import datetime

from django.db.models import Max

from causes.sitemaps import OnePageSitemap, last_change

from .models import GlossaryTerm


class GlossarySitemap(OnePageSitemap):
    url_name = "glossary:glossary"

    def lastmod(self, item: str) -> datetime.datetime | None:
        return last_change(GlossaryTerm.history.aggregate(at=Max("history_date"))["at"])
