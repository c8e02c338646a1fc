"""Editors' previews: an item as readers would see it, and its text with its reading level before a save.

Only for the models with a public page (PAGES): on any other admin `PreviewMixin` does nothing.
"""

from dataclasses import dataclass

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.template.loader import select_template
from django.urls import path, reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.generic import DetailView, ListView

from . import readability, views
from .models import Cause, Faq, Remedy, SitePage
from .templatetags.markdown import render_markdown


@dataclass(frozen=True)
class PublicPage:
    """The public view that shows an item, and the fields an editor writes in Markdown."""

    view: type[DetailView] | type[ListView]
    markdown_fields: tuple[str, ...]
    noun: str = "page"  # what readers see of the item


PAGES: dict[type[Model], PublicPage] = {
    Cause: PublicPage(views.CauseDetailView, ("summary", "body", "self_care")),
    Remedy: PublicPage(views.RemedyDetailView, ("summary", "body", "caution")),
    Faq: PublicPage(views.FaqListView, ("answer",), noun="question"),
    SitePage: PublicPage(views.SitePageView, ("body",)),
}


@dataclass(frozen=True)
class Banner:
    """What the top of a preview says: whether readers can see the item, and the way back to editing."""

    published: bool
    noun: str
    edit_url: str
    anchor: str = ""  # the item's place on a shared page (an FAQ)


@dataclass(frozen=True)
class TextPreview:
    """One Markdown field as typed: shown as readers will see it, and how hard it is to read."""

    name: str
    label: str
    html: SafeString
    report: readability.Readability | None  # None when nothing is written


def text_preview(name: str, label: str, markdown: str) -> TextPreview:
    markdown = markdown.replace("\x00", "")
    # Not the cached render_markdown: text being written would crowd out the public pages' entries.
    html = mark_safe(render_markdown.__wrapped__(markdown))  # noqa: S308 - cleaned by nh3
    report = readability.report(markdown) if readability.plain_text(markdown).strip() else None
    return TextPreview(name, label, html, report)


class PreviewMixin:
    """For a ModelAdmin: a preview page of the saved item, and a button that previews the text as typed.

    The button ("_preview") runs the form's usual checks and shows the form again, with the panel
    on top; the form is never valid enough to save, so nothing is saved, logged or re-cached.
    """

    def get_urls(self):
        urls = super().get_urls()
        if self.model not in PAGES:
            return urls
        name = f"{self.opts.app_label}_{self.opts.model_name}_preview"
        return [path("<path:object_id>/preview/", self.admin_site.admin_view(self.preview_view), name=name), *urls]

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The item on its public page, whatever its status: the public view itself, over this item too."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        page = PAGES[self.model]
        # The public queryset with its prefetches, widened to this item: the same context as readers get.
        view = page.view.as_view(queryset=page.view.queryset | self.model.objects.filter(pk=obj.pk))
        response = view(request, **({"pk": obj.pk} if issubclass(page.view, DetailView) else {}))
        response.context_data["page_template"] = select_template(response.template_name)
        response.context_data["preview"] = Banner(
            published=obj.is_published,
            noun=page.noun,
            edit_url=reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=[quote(obj.pk)],
                current_app=self.admin_site.name,
            ),
            anchor=obj.slug if page.noun == "question" else "",
        )
        response.template_name = "causes/preview.html"  # the page's own template, with the banner on top
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not self._previewing(request):
            return form

        class Previewed(form):
            def is_valid(self) -> bool:
                super().is_valid()  # every check a save makes, so the same errors show
                return False  # and so Django never saves it

        return Previewed

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        page = PAGES.get(self.model)
        if page is not None:
            context["can_preview_text"] = (
                self.has_add_permission(request) if add else self.has_change_permission(request, obj)
            )
            if change and obj is not None:
                context["preview_url"] = reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_preview",
                    args=[quote(obj.pk)],
                    current_app=self.admin_site.name,
                )
            if self._previewing(request):
                form = context["adminform"].form
                context["text_previews"] = [
                    text_preview(name, str(form[name].label), str(form[name].value() or ""))
                    for name in page.markdown_fields
                    if name in form.fields
                ]
                context["reading_target"] = readability.TARGET
                context["max_words"] = readability.MAX_WORDS
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _previewing(self, request: HttpRequest) -> bool:
        return self.model in PAGES and request.method == "POST" and "_preview" in request.POST
