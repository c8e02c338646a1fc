"""On an item's admin page: the note that sent the person's change back, open requests, and how to ask a reviewer."""

from django import template
from django.contrib.contenttypes.models import ContentType

from editorial import asks, review
from editorial.models import EditorRequest, Publishable

register = template.Library()


@register.inclusion_tag("admin/includes/item_work.html", takes_context=True)
def item_work(context, item) -> dict:
    user = context["request"].user
    if not isinstance(item, Publishable) or item.pk is None or not item.REVIEWED_FIELDS:
        return {}
    opts = item._meta
    requests = EditorRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(type(item)),
        object_id=str(item.pk),
        state=EditorRequest.State.OPEN,
    ).select_related("requested_by")
    asking = asks.may_ask(user, item) and not review.can_approve(user, type(item))
    return {
        "sent_back": asks.open_send_back(review.own_waiting(item, user)),
        "requests": list(requests),
        "ask_args": [opts.app_label, opts.model_name, item.pk] if asking else None,
        "is_live": item.is_live,
    }
