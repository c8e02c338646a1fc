from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.signin import client_ip
from core.cache import public_page, same_origin_post

from .forms import FeedbackForm, is_feedback_page
from .models import Feedback
from .services import POSTS_PER_HOUR, count_post


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


@never_cache
@same_origin_post  # the form sits on cached pages, so it carries no CSRF token and sets no cookie
@require_http_methods(["POST"])
def send(request: HttpRequest) -> HttpResponse:
    """Store one "Was this page helpful?" answer, with nothing that identifies the reader."""
    posts = count_post(client_ip(request))
    if posts is None:  # the count could not be kept, so the limit could not be checked
        return render(request, "feedback/too_many.html", {"unavailable": True}, status=503)
    if posts > POSTS_PER_HOUR:
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
