"""sitemap.xml: every published page with the date it last changed, and nothing else.

Addresses come from SITE_URL, never from the request's Host header, so the sitemap is the same for
everyone and may be cached like a page. Search results, the admin and anything unpublished are not
in it.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from . import selectors
from .models import Cause, Faq, Remedy, SitePage


def _as_time(value: datetime.date | datetime.datetime) -> datetime.datetime:
    """A date as the start of that day here: one sitemap's dates must all be comparable."""
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


class SiteSitemap(Sitemap):
    """Addresses on the public site (SITE_URL), whatever host the request named."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class OnePageSitemap(SiteSitemap):
    """One page another app owns, by its URL name; the subclass says when it last changed (`lastmod`)."""

    url_name: str

    def items(self) -> list[str]:
        return [self.url_name]

    def location(self, item: str) -> str:
        return reverse(item)


class ItemSitemap(SiteSitemap):
    """One page per published item, changed when the item was last saved."""

    model: type[Cause] | type[Remedy] | type[SitePage]

    def items(self):
        return self.model.objects.published().only("slug", "updated").order_by("slug")

    def lastmod(self, item: Cause | Remedy | SitePage) -> datetime.datetime:
        return item.updated


class SitePageSitemap(ItemSitemap):
    """About, privacy and the pages editors add; the home page is listed with the other pages, and parts never."""

    model = SitePage

    def items(self):
        return super().items().exclude(slug__in=["home", *SitePage.PARTS])


class CauseSitemap(ItemSitemap):
    model = Cause


class RemedySitemap(ItemSitemap):
    model = Remedy


def written() -> datetime.datetime | None:
    """When a page with no date of its own last changed: the day its review dates say it was last
    reviewed (`selectors.site_review_dates`, the one source), or None when there is none."""
    day = selectors.site_review_dates().get("last_reviewed")
    return _as_time(day) if day else None


def last_change(*times: datetime.datetime | None) -> datetime.datetime | None:
    """The latest of these times and `written()`, or None (no lastmod) when none is known."""
    return max([at for at in (written(), *times) if at is not None], default=None)


def latest(*models) -> datetime.datetime | None:
    """A page listing items changes when any of its published items does (and never before `written()`)."""
    return last_change(*(model.objects.published().aggregate(at=Max("updated"))["at"] for model in models))


def _latest_page(slug: str) -> datetime.datetime | None:
    return last_change(SitePage.objects.published().filter(slug=slug).aggregate(at=Max("updated"))["at"])


# The pages that are not one item's: URL name, and when the page last changed. A name the site does
# not have (yet) is left out. Search results are never listed.
PAGES = {
    "causes:home": lambda: last_change(latest(Cause), _latest_page("home")),
    "causes:cause-list": lambda: latest(Cause),
    "causes:remedy-list": lambda: latest(Remedy),
    "causes:faq": lambda: latest(Faq),
}


class PageSitemap(SiteSitemap):
    def items(self) -> list[str]:
        names = []
        for name in PAGES:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            names.append(name)
        return names

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str) -> datetime.datetime | None:
        return PAGES[item]()
