"""The questionnaire's page in sitemap.xml: it changes when a clinical reviewer approves a release."""

import datetime

from causes.sitemaps import OnePageSitemap, written

from .models import Release


class QuestionnaireSitemap(OnePageSitemap):
    url_name = "questionnaire:check-your-symptoms"

    def lastmod(self, item: str) -> datetime.datetime | None:
        release = Release.objects.only("approved_at").first()
        return release.approved_at if release else written()
