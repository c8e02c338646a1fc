"""`{% glossary %}`: the first use on a page of each glossary word links to its entry."""

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from glossary import linking, selectors

register = template.Library()


@register.tag(name="glossary")
def glossary_tag(parser: template.base.Parser, token: template.base.Token) -> "GlossaryNode":
    """`{% glossary %}...{% endglossary %}`: the first use of each glossary word inside links to its entry.

    The words are read once per content version.
    """
    if len(token.split_contents()) > 1:
        raise template.TemplateSyntaxError("{% glossary %} takes no argument.")
    nodelist = parser.parse(("endglossary",))
    parser.delete_first_token()
    return GlossaryNode(nodelist)


class GlossaryNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        # Over the rendered page, not each Markdown field, so "first use" means first on the page.
        page = self.nodelist.render(context)
        linked = linking.link_first_uses(page, selectors.glossary_terms(), reverse("glossary:glossary"))
        return mark_safe(linked)  # noqa: S308 - the page as rendered, with escaped words linked
