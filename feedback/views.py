from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from causes.accounts import client_ip
from causes.cache import public_page, same_origin_post

from .forms import FeedbackForm, is_feedback_page
from .models import Feedback

POSTS_PER_HOUR = 10  # per address: more than any reader sends, few enough that spam stays small


def _over_the_limit(request: HttpRequest) -> bool:
    """Count this post against the sender's address for the current hour; True past the limit.

    The key is a keyed hash of the address and the hour, so the cache never holds an address.
    """
    hour = timezone.now().strftime("%Y-%m-%dT%H")
    digest = salted_hmac("feedback-rate", f"{client_ip(request)}|{hour}", algorithm="sha256").hexdigest()
    key = f"feedback-rate:{digest[:32]}"
    if cache.add(key, 1, 60 * 60):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired in between
        cache.set(key, 1, 60 * 60)
        count = 1
    return count is not None and count > POSTS_PER_HOUR


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


@never_cache
@same_origin_post  # the form sits on cached pages, so it carries no CSRF token and sets no cookie
@require_http_methods(["POST"])
def send(request: HttpRequest) -> HttpResponse:
    """Store one "Was this page helpful?" answer, with nothing that identifies the reader."""
    if _over_the_limit(request):
        return render(request, "feedback/too_many.html", status=429)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        context = {
            "form": form,
            "page_ok": "page" not in form.errors,
            "comment": str(request.POST.get("comment", "")).replace("\x00", ""),  # kept, so nothing is lost
        }
        return render(request, "feedback/problem.html", context, status=400)
    Feedback.objects.create(
        page=form.cleaned_data["page"],
        helpful=form.cleaned_data["helpful"],
        comment=form.cleaned_data["comment"],
    )
    return HttpResponseSeeOther(f"{reverse('feedback:thanks')}?{urlencode({'page': form.cleaned_data['page']})}")


@public_page
@require_http_methods(["GET", "HEAD"])
def thanks(request: HttpRequest) -> HttpResponse:
    """The same for everyone; links back to the page the reader came from when that is a page we know."""
    page = request.GET.get("page", "")
    back = page if is_feedback_page(page) else None
    return render(request, "feedback/thanks.html", {"back": back})
