"""Editors' previews: an item as readers would see it, and its text with its reading level before a save.

The page preview is only for the models with a public page (PAGES). The reading check covers every
reader-facing text field of every model (`readability.READER_FIELDS`), judged as the tests judge it.
"""

from dataclasses import dataclass

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import select_template
from django.urls import path, reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.generic import DetailView, ListView

from editorial import notifications, publishing, readability, review

from . import selectors, views
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
    change_by: str = ""  # set when the preview shows a change that waits for review: who wrote it
    live_url: str = ""  # with a waiting change: the page as readers see it, or its plain preview
    drafts: tuple[str, ...] = ()  # linked drafts the page leaves out until they are published ("title (kind)")


@dataclass(frozen=True)
class TextPreview:
    """One Markdown field as typed: shown as readers will see it, and how hard it is to read."""

    name: str
    label: str
    html: SafeString
    report: readability.Readability | None  # None when nothing is written
    check: readability.Check | None = None  # the text judged as its kind is (a title by its length)
    read_as: str = ""  # a warning sign as readers read it, after its level's heading


def text_preview(name: str, label: str, markdown: str, kind: str = readability.TEXT, heading: str = "") -> TextPreview:
    markdown = markdown.replace("\x00", "")
    # Not the cached render_markdown: text being written would crowd out the public pages' entries.
    html = mark_safe(render_markdown.__wrapped__(markdown))  # noqa: S308 - cleaned by nh3
    if not readability.plain_text(markdown).strip():
        return TextPreview(name, label, html, None)
    check = readability.check(kind, markdown, heading)
    read_as = f"{heading} {markdown}" if kind == readability.SIGN and heading else ""
    return TextPreview(name, label, html, check.report, check, read_as)


def reading_fields(model: type[Model]) -> dict[str, str]:
    """The fields of a model that readers read, each with how it is judged; the Markdown ones of a page too."""
    fields = dict.fromkeys(PAGES[model].markdown_fields, readability.TEXT) if model in PAGES else {}
    return fields | readability.reader_fields(model._meta.label)


def with_change(view: type[DetailView] | type[ListView], pk: int, changes: dict[str, object]):
    """The public view, showing the item `pk` with these changes made to it (nothing is saved)."""

    def changed(item: Model) -> Model:
        if item.pk == pk:
            for name, value in changes.items():
                setattr(item, name, value)
        return item

    if issubclass(view, DetailView):

        class ChangedDetail(view):
            def get_object(self, queryset=None):
                return changed(super().get_object(queryset))

        return ChangedDetail

    class ChangedList(view):
        def get_queryset(self):
            queryset = super().get_queryset()
            for item in queryset:  # fills the queryset's cache, which the page then reads: it stays a queryset
                changed(item)
            return queryset

    return ChangedList


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
        change = self._waiting_change(request, obj)
        # The public queryset with its prefetches, widened to this item: the same context as readers get.
        view = page.view
        if change is not None:
            view = with_change(view, obj.pk, review.proposed(obj, change))
        options = {"queryset": page.view.queryset | self.model.objects.filter(pk=obj.pk)}
        if hasattr(page.view, "shared"):  # what a preview renders is never kept for readers
            options["shared"] = False
        view = view.as_view(**options)
        response = view(request, **({"pk": obj.pk} if issubclass(page.view, DetailView) else {}))
        response.context_data["page_template"] = select_template(response.template_name)
        live_url = ""
        if change is not None:
            live_url = obj.get_absolute_url() if obj.is_live else self.preview_url(obj)
        response.context_data["preview"] = Banner(
            published=obj.is_live,
            noun=page.noun,
            edit_url=reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=[quote(obj.pk)],
                current_app=self.admin_site.name,
            ),
            anchor=obj.slug if page.noun == "question" else "",
            change_by=notifications.name(change.author) if change is not None else "",
            live_url=live_url,
            drafts=tuple(f"{draft} ({draft._meta.verbose_name})" for draft in publishing.linked_drafts(obj)),
        )
        response.template_name = "causes/preview.html"  # the page's own template, with the banner on top
        response["X-Robots-Tag"] = "noindex"
        return response

    def preview_url(self, obj: Model, change=None) -> str:
        """The item's preview, with a change that waits for review if one is given; "" for a model with no page."""
        if self.model not in PAGES:
            return ""
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_preview"
        url = reverse(name, args=[quote(obj.pk)], current_app=self.admin_site.name)
        return f"{url}?change={change.pk}" if change is not None else url

    def _waiting_change(self, request: HttpRequest, obj: Model):
        """The waiting change named by ?change=, None when there is none; 404 for anything else."""
        value = request.GET.get("change")
        if value is None:
            return None
        if not (value.isascii() and value.isdigit() and len(value) <= 18):
            raise Http404("There is no such change.")
        change = review.waiting_changes(obj).filter(pk=int(value), state=review.WAITING).first()
        if change is None:
            raise Http404("That change is not waiting for review.")
        return change

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
        fields = reading_fields(self.model)
        if fields:
            context["can_preview_text"] = (
                self.has_add_permission(request) if add else self.has_change_permission(request, obj)
            )
            if change and obj is not None and self.model in PAGES:
                context["preview_url"] = self.preview_url(obj)
            if self._previewing(request):
                form = context["adminform"].form
                heading = ""
                if readability.SIGN in fields.values() and "level" in form.fields:  # read after its level's heading
                    heading = selectors.urgency_level(str(form["level"].value() or "")).card_heading
                context["text_previews"] = [
                    text_preview(name, str(form[name].label), str(form[name].value() or ""), kind, heading)
                    for name, kind in fields.items()
                    if name in form.fields
                ]
                context["reading_target"] = readability.TARGET
                context["max_words"] = readability.MAX_WORDS
                context["max_title_words"] = readability.MAX_TITLE_WORDS
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _previewing(self, request: HttpRequest) -> bool:
        return bool(reading_fields(self.model)) and request.method == "POST" and "_preview" in request.POST
