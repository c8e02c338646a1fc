"""The admin's pages for sending a change back with a note and for editors' requests (editorial/asks.py).

Served under /admin/work/ through the admin site's own sign-in (two factors), as the admin's pages are.
Each view fetches, calls a function in asks.py, which decides who may act, and renders.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from . import asks, notifications, publishing, review, scheduling
from .admin import change_url, day_and_time_field
from .lifecycle import Status
from .models import NOTE_MAX, Change, EditorRequest

NOTE = forms.CharField(
    widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    max_length=NOTE_MAX,
    error_messages={"required": "Write a reason, so the other person knows why."},
)


class SendBackForm(forms.Form):
    note = forms.CharField(
        label="Your note to the author",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=NOTE_MAX,
        help_text="Say what to change. The author sees it in their inbox and on the item. It is not e-mailed.",
        error_messages={"required": "Write a note, so the author knows what to change."},
    )


class AskForm(forms.Form):
    kind = forms.ChoiceField(label="I am asking for", choices=EditorRequest.Kind.choices, widget=forms.RadioSelect)
    goes_live_at = day_and_time_field("Go live at", "UK time. Only for “Go live at a set time”.", required=False)
    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=NOTE_MAX,
        help_text="A reviewer reads this before they decide. It is not e-mailed.",
        error_messages={"required": "Write a reason, so the reviewer knows why."},
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Why you decline it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=NOTE_MAX,
    )


def _item(app_label: str, model_name: str, object_id: str):
    for model in scheduling.reviewed_models():
        if (model._meta.app_label, model._meta.model_name) == (app_label, model_name):
            try:
                return model._default_manager.get(pk=object_id)
            except (model.DoesNotExist, ValueError, ValidationError):  # a made-up or malformed address
                raise Http404("No such item.") from None
    raise Http404("No such kind of item.")


def _page(request, template: str, title: str, item, **context) -> TemplateResponse:
    context = {
        **admin.site.each_context(request),
        "title": title,
        "original": item,
        "opts": item._meta,
        "change_url": change_url(item),
        **context,
    }
    return TemplateResponse(request, template, context)


@require_http_methods(["GET", "POST"])
def send_back(request, app_label: str, model_name: str, object_id: str, change_id: int):
    item = _item(app_label, model_name, object_id)
    change = review.waiting_changes(item).filter(pk=change_id, state=review.WAITING).first()
    if change is None:
        messages.warning(request, "That change is no longer waiting for review.")
        return HttpResponseRedirect(change_url(item))
    if not asks.may_review(request.user, item, change):
        raise PermissionDenied
    form = SendBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            asks.send_back(item, change, request.user, form.cleaned_data["note"])
        except asks.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, f"You sent the change back to {notifications.name(change.author)} with your note."
            )
            return HttpResponseRedirect(reverse("admin:index"))
    return _page(request, "admin/send_back.html", f"Send back a change to “{item}”", item, form=form, change=change)


@require_http_methods(["GET", "POST"])
def send_back_new(request, app_label: str, model_name: str, object_id: str):
    """A new item ready for review, sent back to its author as a draft with a note (asks.send_back_new decides)."""
    item = _item(app_label, model_name, object_id)
    if not asks.may_send_back_new(request.user, item):
        if item.status != Status.REVIEW:
            messages.warning(request, "That item is no longer waiting for review.")
            return HttpResponseRedirect(change_url(item))
        raise PermissionDenied
    form = SendBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = asks.send_back_new(item, request.user, form.cleaned_data["note"])
        except asks.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            author = notifications.name(sent.author) if sent.author else "its author"
            messages.success(request, f"You sent “{item}” back to {author} as a draft, with your note.")
            return HttpResponseRedirect(reverse("admin:index"))
    return _page(request, "admin/send_back.html", f"Send back “{item}”", item, form=form, change=None)


@require_http_methods(["GET", "POST"])
def ask(request, app_label: str, model_name: str, object_id: str):
    item = _item(app_label, model_name, object_id)
    if not asks.may_ask(request.user, item):
        raise PermissionDenied
    form = AskForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            asks.ask(item, request.user, data["kind"], data["reason"], data["goes_live_at"])
        except asks.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Your request waits for a clinical reviewer. You will hear when they answer.")
            return HttpResponseRedirect(change_url(item))
    return _page(request, "admin/ask_reviewer.html", f"Ask a clinical reviewer about “{item}”", item, form=form)


@require_http_methods(["GET", "POST"])
def answer(request, pk: int):
    made = get_object_or_404(EditorRequest, pk=pk)
    item = made.item
    if item is None:
        raise Http404("The item this request is about no longer exists.")
    if not review.can_approve(request.user, type(item)):
        raise PermissionDenied
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        try:
            if "_grant" in request.POST:
                asks.grant(made, request.user)
                messages.success(request, f"You granted the request: {made.get_kind_display().lower()}.")
                shown_by = admin.site.get_model_admin(type(item)) if admin.site.is_registered(type(item)) else None
                if made.kind == made.Kind.WITHDRAW and shown_by and (notice := shown_by.withdrawal_notice(item)):
                    messages.warning(request, notice)
                return HttpResponseRedirect(reverse("admin:index"))
            if form.is_valid():
                asks.decline(made, request.user, form.cleaned_data["answer"])
                messages.success(request, "You declined the request. Its author will hear.")
                return HttpResponseRedirect(reverse("admin:index"))
        except asks.Refused as refusal:
            form.add_error(None, str(refusal))
    is_requester = made.requested_by_id == request.user.pk
    return _page(
        request,
        "admin/answer_request.html",
        f"A request about “{item}”",
        item,
        made=made,
        form=form,
        is_requester=is_requester,
    )


MOST_TICKED = 50  # items approved from one inbox form at the most


def _picked(pick: str, models: dict):
    """The item and change a tick box names ("change:<id>", or "new:<app.model>:<id>"), or None for a made-up one.

    `models`: the kinds of item with medical text, by label.
    """
    kind, _, rest = pick.partition(":")
    try:
        if kind == "change":
            change = Change.objects.select_related("content_type").get(pk=int(rest))
            model = change.content_type.model_class()
            if model not in models.values():
                return None
            return model._default_manager.get(pk=change.object_id), change
        if kind == "new":
            label, _, pk = rest.rpartition(":")
            return models[label]._default_manager.get(pk=int(pk)), None
    except (ValueError, LookupError, ValidationError, Change.DoesNotExist, ObjectDoesNotExist):
        return None
    return None


@require_POST
def approve_many(request):
    """Approve the items a reviewer ticked in their inbox: each through the service that decides it alone
    (`review.approve` for a change, `publishing.publish_new` for a new item); what is refused is said, by name."""
    picks = list(dict.fromkeys(request.POST.getlist("pick")))[:MOST_TICKED]
    models = {model._meta.label_lower: model for model in scheduling.reviewed_models()}
    approved, refused = [], []
    for pick in picks:
        found = _picked(pick, models)
        if found is None:
            refused.append("One ticked item is no longer waiting for review.")
            continue
        item, change = found
        try:
            if change is not None:
                review.approve(item, change, request.user)
            else:
                publishing.publish_new(item, request.user)
        except PermissionDenied as why:
            refused.append(f"“{item}” was not approved: {why}")
        else:
            approved.append(f"“{item}”")
    if approved:
        messages.success(
            request, f"You approved {', '.join(approved)}. Readers see {'it' if len(approved) == 1 else 'them'} now."
        )
    for line in refused:
        messages.error(request, line)
    if not picks:
        messages.warning(request, "Tick the items to approve first.")
    return HttpResponseRedirect(reverse("admin:index"))
