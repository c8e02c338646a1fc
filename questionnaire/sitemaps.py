"""The questionnaire's page in sitemap.xml: it changes when a clinical reviewer approves a release."""

import datetime

from django.urls import reverse

from causes.sitemaps import WRITTEN, SiteSitemap

from .models import Release


class QuestionnaireSitemap(SiteSitemap):
    def items(self) -> list[str]:
        return ["questionnaire:check-your-symptoms"]

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str) -> datetime.datetime:
        release = Release.objects.only("approved_at").first()
        return release.approved_at if release else WRITTEN
