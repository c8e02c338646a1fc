from django.db.models.functions import Lower
from django.views.generic import ListView

from core.templatetags.seo import Crumb
from editorial import lifecycle
from glossary.models import GlossaryTerm


class GlossaryView(ListView):
    """The medical words the site uses, each explained and anchored by its slug, A to Z."""

    queryset = GlossaryTerm.objects.published().order_by(Lower("term"))
    template_name = "glossary/glossary.html"
    # Terms carry no review dates of their own.
    extra_context = {**lifecycle.SHARED_REVIEW_DATES, "breadcrumbs": [Crumb("Glossary")]}
