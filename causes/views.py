from django.db.models import Prefetch
from django.http import Http404, HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.generic import DetailView, ListView, TemplateView

from core.cache import versioned
from core.templatetags.seo import Crumb

from . import selectors
from .models import Category, Cause, Faq, MovedPage, Remedy, SitePage, Source


def _review_dates(page: SitePage) -> dict:
    return {
        "last_reviewed": page.last_reviewed,
        "next_review_due": page.next_review_due,
        "reviewed_by": page.reviewed_by,
    }


class HomeView(TemplateView):
    """The home page: its introduction is the "home" site page's; without a live one, the rest still shows."""

    template_name = "causes/home.html"

    def get_context_data(self, **kwargs):
        causes = Cause.objects.published().only("title", "slug")  # a summary edit leaves the page kept
        context = {**super().get_context_data(**kwargs), "causes": causes}
        page = selectors.site_page("home")
        if page is not None:
            context.update(page=page, **_review_dates(page))
        return context


class IndexView(ListView):
    """A list page. It is only as fresh as its least recently reviewed item."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = context["object_list"]
        if items:
            context["last_reviewed"] = min((item.last_reviewed for item in items if item.last_reviewed), default=None)
            context["next_review_due"] = min(
                (item.next_review_due for item in items if item.next_review_due), default=None
            )
        else:
            context.update(selectors.site_review_dates())
        return context


class CauseListView(IndexView):
    queryset = Cause.objects.published()
    extra_context = {"breadcrumbs": [Crumb("Causes")]}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        causes = context["object_list"]
        context["groups"] = [
            (label, [cause for cause in causes if cause.category == value])
            for value, label in Category.choices
            if any(cause.category == value for cause in causes)
        ]
        return context


class ArticleView(DetailView):
    """A page of its own (a cause or a remedy). An address it used to have redirects here for good."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = MovedPage.objects.select_related("content_type").filter(old_path=request.path).first()
            page = moved.live_page() if moved else None
            if page is None:
                raise
            return HttpResponsePermanentRedirect(page.get_absolute_url())


class SitePageView(ArticleView):
    """A page editors write: about, privacy (each at its own address, with its `slug` given), or one they added.

    An added page's old address redirects to its new one, as an article's does.

    At pages/<slug>/ only pages with no address of their own are found (see `pages`).
    """

    queryset = SitePage.objects.published()
    context_object_name = "page"
    template_name = "causes/site_page.html"
    slug = ""  # the page's slug, for a view at an address of its own (about/, privacy/)

    def get_object(self, queryset=None):
        if self.slug:
            self.kwargs = {**self.kwargs, self.slug_url_kwarg: self.slug}
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, **_review_dates(self.object), "breadcrumbs": [Crumb(self.object.title)]}


# pages/<slug>/: the pages an editor added. The ones the site names by slug are at their own address or inside a page.
pages = SitePageView.as_view(
    queryset=SitePage.objects.published().exclude(slug__in=[*SitePage.FIXED_ADDRESSES, *SitePage.PARTS])
)


class CauseDetailView(ArticleView):
    """A cause page. Its article is kept until the cause or something it shows changes."""

    queryset = Cause.objects.published()
    shared = True  # an editor's preview of a change sets this off: its text must never be kept for readers

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cause = self.object
        render = self.render_article
        context["article"] = versioned(f"cause-parts:{cause.pk}", render, items=[cause]) if self.shared else render()
        context["breadcrumbs"] = [Crumb("Causes", reverse("causes:cause-list")), Crumb(cause.title)]
        return context

    def render_article(self) -> str:
        """The cause with its signs, links and sources, glossary words linked (1 query, and the site-wide data's)."""
        page = selectors.cause_page(self.object)
        return render_to_string("causes/cause_article.html", {"cause": self.object, **page._asdict()})


class RemedyListView(IndexView):
    queryset = Remedy.objects.published()
    extra_context = {"breadcrumbs": [Crumb("Remedies")]}


class RemedyDetailView(ArticleView):
    queryset = Remedy.objects.published().prefetch_related(
        Prefetch("causes", queryset=Cause.objects.published()),
        Prefetch("sources", queryset=Source.objects.published()),
    )

    def get_context_data(self, **kwargs):
        crumbs = [Crumb("Remedies", reverse("causes:remedy-list")), Crumb(self.object.title)]
        return {**super().get_context_data(**kwargs), "breadcrumbs": crumbs}


class FaqListView(IndexView):
    queryset = Faq.objects.published().prefetch_related(
        Prefetch("causes", queryset=Cause.objects.published().only("title", "slug")),  # named, not shown
        Prefetch("sources", queryset=Source.objects.published().filter(evidence=True)),
    )
    extra_context = {"breadcrumbs": [Crumb("Common questions")]}
