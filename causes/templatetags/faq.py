"""The FAQ page's structured data: every question with its answer as plain text (JSON-LD)."""

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from core.templatetags.seo import json_ld

from .markdown import render_markdown

register = template.Library()


@register.simple_tag
def faq_page(faqs) -> SafeString:
    """FAQPage with every question on the page and its answer as plain text."""
    return json_ld(
        {
            "@type": "FAQPage",
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": faq.question,
                    "acceptedAnswer": {"@type": "Answer", "text": strip_tags(render_markdown(faq.answer)).strip()},
                }
                for faq in faqs
            ],
        }
    )
