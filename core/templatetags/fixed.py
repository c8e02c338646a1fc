"""`{% fixed %}`: a part of the page that is the same for every request, rendered once per process.

The site's header, footer and head links: a score of `{% url %}` and `{% static %}` look-ups that
would otherwise run on every page, cached or not. Only text, those two tags with fixed arguments and
`{% include %}` of a named template that holds only the same may go inside, checked when the template
is compiled, so nothing a reader sent or sees alone (their
answers above all) can ever be kept. The rendering lives on the compiled template, so a template
edited in development (which recompiles it) shows at once.
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import FilterExpression, Node, NodeList, TextNode
from django.template.defaulttags import URLNode
from django.template.loader import get_template
from django.template.loader_tags import IncludeNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix
from django.utils.safestring import SafeString

register = template.Library()

_settings_changes = 0  # a test that changes a setting (static storage, URLs) may change what a part renders


@receiver(setting_changed)
def _settings_changed(**kwargs) -> None:
    global _settings_changes
    _settings_changes += 1


@register.tag
def fixed(parser: template.base.Parser, token: template.base.Token) -> "FixedNode":
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    for node in nodelist:
        if not _fixed(node):
            raise template.TemplateSyntaxError(
                f"{{% fixed %}} holds only text, {{% url %}}, {{% static %}} and {{% include %}} with quoted "
                f"arguments, not {node!r}"
            )
    return FixedNode(nodelist)


def _fixed(node: Node) -> bool:
    if isinstance(node, TextNode):
        return True
    if isinstance(node, URLNode):
        return _literal(node.view_name) and not node.args and not node.kwargs and not node.asvar
    if isinstance(node, StaticNode):
        return _literal(node.path) and not node.varname
    if isinstance(node, IncludeNode):  # a named template, no values passed, that is itself fixed throughout
        return (
            _literal(node.template)
            and not node.extra_context
            and all(_fixed(inner) for inner in get_template(node.template.var).template.nodelist)
        )
    return False


def _literal(expression: FilterExpression) -> bool:
    return isinstance(expression.var, str) and not expression.filters


class FixedNode(Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist
        self.rendered: dict[tuple[str, int], SafeString] = {}  # by the script prefix a URL starts with

    def render(self, context: template.Context) -> SafeString:
        key = (get_script_prefix(), _settings_changes)
        rendered = self.rendered.get(key)
        if rendered is None:
            rendered = self.rendered[key] = self.nodelist.render(context)
        return rendered
