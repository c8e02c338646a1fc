"""Editor accounts: where a sign-in comes from, how long its session lives, and its log lines.

Only editors ever have a session; readers get no cookie. Log lines carry the username and the
address, never a password, and nothing from the questionnaire passes through here.
"""

import ipaddress
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm

logger = logging.getLogger(__name__)

SIGNED_IN_AT = "signed_in_at"


def client_ip(request: HttpRequest) -> str | None:
    """The address a request comes from: the connection's own, or the header named in settings.

    Trust a header only when the proxy in front sets it itself (overwriting what the client sent).
    For a list such as X-Forwarded-For the right-most entry is the one that proxy added.
    """
    if settings.CLIENT_IP_HEADER:
        meta_key = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
        value = request.META.get(meta_key, "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:  # missing or not an address: the proxy is misconfigured
            logger.warning("No client address in %s; using the connection's", settings.CLIENT_IP_HEADER)
    return request.META.get("REMOTE_ADDR")


def attempted_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The username a sign-in attempt gave, cut to what a username can be (the lockout records it)."""
    value = (credentials or request.POST).get("username") or ""
    return str(value)[:150]


class StaffSessionMiddleware:
    """End a signed-in session 8 hours after sign-in, however busy; idle expiry is the cookie's age."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            if not isinstance(signed_in_at, (int, float)):
                request.session[SIGNED_IN_AT] = time.time()  # a session from before this check
            elif time.time() - signed_in_at > settings.STAFF_SESSION_MAX_AGE:
                logger.info(
                    "Session ended after %s hours: user=%r",
                    settings.STAFF_SESSION_MAX_AGE // 3600,
                    request.user.get_username(),
                )
                logout(request)
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="accounts-signed-in")
def _signed_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is not None:
        request.session[SIGNED_IN_AT] = time.time()
        logger.info("Sign-in: user=%r ip=%s", user.get_username(), client_ip(request))


@receiver(user_login_failed, dispatch_uid="accounts-sign-in-failed")
def _sign_in_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]  # the password is never read
    logger.warning("Failed sign-in: user=%r ip=%s", username, client_ip(request) if request else None)


@receiver(user_logged_out, dispatch_uid="accounts-signed-out")
def _signed_out(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if user is not None:
        logger.info("Sign-out: user=%r", user.get_username())


SIGN_IN_FAILED = "Your username, password or code is wrong. Check them and try again."


class TwoFactorLoginForm(OTPAdminAuthenticationForm):
    """The admin's sign-in with a code: each editor has one authenticator app, so no device menu.

    Every failure gets the same one message and the same page, so nobody learns from a refusal
    whether the password was right and only the code wrong (or missing, or throttled). A wrong code
    is a failed sign-in like a wrong password: it is logged, and it counts towards the lockout.
    """

    error_messages = {**OTPAdminAuthenticationForm.error_messages, "invalid_login": SIGN_IN_FAILED}

    def clean_otp(self, user) -> None:
        try:
            super().clean_otp(user)
        except ValidationError:
            # As `authenticate` reports a wrong password: axes counts it (and may lock the pair out).
            user_login_failed.send(
                sender=type(self), credentials={"username": user.get_username()}, request=self.request
            )
            raise self.get_invalid_login_error() from None

    def _chosen_device(self, user):
        return super()._chosen_device(user) or next(devices_for_user(user, confirmed=True), None)

    def _update_form(self, user) -> None:
        """Nothing: django-otp would fill the password in again once it was right, which says so."""
