from django.db.models.functions import Lower
from django.views.generic import ListView

from causes import selectors
from core.templatetags.seo import Crumb
from glossary.models import GlossaryTerm


class GlossaryView(ListView):
    """The medical words the site uses, each explained and anchored by its slug, A to Z."""

    queryset = GlossaryTerm.objects.published().order_by(Lower("term"))
    template_name = "glossary/glossary.html"
    extra_context = {"breadcrumbs": [Crumb("Glossary")]}

    def get_context_data(self, **kwargs):
        # Terms carry no review dates of their own: the page shows the site's.
        return {**super().get_context_data(**kwargs), **selectors.site_review_dates()}
