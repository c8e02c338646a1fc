"""Signing in to the admin: two factors, the same answer for every wrong input, lockout, sessions,
and enrolling an authenticator app."""

import datetime
import re
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.signin import SIGNED_IN_AT
from tests.conftest import (
    LOGIN,
    PASSWORD,
    current_code,
    enrol,
    https_client,
    log_in,
    make_editor,
    sign_in_with_both_factors,
)

pytestmark = pytest.mark.django_db

SIGN_IN_FAILED = "Your username, password or code is wrong. Check them and try again."


def test_a_password_alone_does_not_open_the_admin(django_user_model):
    user = make_editor(django_user_model)
    client = https_client()
    response = log_in(client)
    assert response.status_code == 200 and SIGN_IN_FAILED in response.content.decode()
    client.force_login(user)  # a password-only session, as from a stolen password
    assert client.get("/admin/").status_code == 302


def test_a_wrong_code_is_refused_and_the_right_one_signs_in(django_user_model):
    device = enrol(make_editor(django_user_model))
    client = https_client()
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    for code in (wrong, "<script>", "9" * 500):  # each a failed sign-in: a fifth would lock out (below)
        response = log_in(client, code=code)
        assert response.status_code == 200 and "errornote" in response.content.decode()
    throttled = log_in(client, code=current_code(device))  # guessing codes slows the app's checks down
    assert throttled.status_code == 200 and SIGN_IN_FAILED in throttled.content.decode()
    assert "temporarily" not in throttled.content.decode()  # which would say the password was right
    device.refresh_from_db()
    device.throttle_reset()  # time passes
    assert log_in(client, code=current_code(device)).status_code == 302
    assert client.get("/admin/").status_code == 200


def _sign_in_page(response) -> str:
    """The page a sign-in attempt gets back, without the token that differs on every page."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_a_wrong_password_and_a_wrong_code_get_the_same_answer(django_user_model):
    device = enrol(make_editor(django_user_model))
    wrong_code = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    attempts = [
        ("editor", "not-the-password", wrong_code),
        ("editor", PASSWORD, wrong_code),  # only the code is wrong
        ("nobody", PASSWORD, wrong_code),
        ("editor", "not-the-password", ""),
        ("editor", PASSWORD, ""),  # only the code is missing
    ]
    answers = [log_in(https_client(), username, password, code) for username, password, code in attempts]
    assert {response.status_code for response in answers} == {200}
    pages = {_sign_in_page(response).replace('value="nobody"', 'value="editor"') for response in answers}
    assert len(pages) == 1, "the page differs when only the code is wrong"
    page = pages.pop()
    assert page.count('class="errornote"') == 1 and SIGN_IN_FAILED in page
    assert PASSWORD not in page and "not-the-password" not in page  # the password box is never filled in again


def test_the_sixth_attempt_is_locked_out_for_an_hour_with_a_clear_429(django_user_model, caplog, settings):
    settings.CLIENT_IP_HEADER = "X-Real-IP"  # the proxy's own header, as documented
    device = enrol(make_editor(django_user_model))
    attacker = https_client(headers={"X-Real-IP": "203.0.113.9"})
    for _ in range(4):
        assert log_in(attacker, password="not-the-password-1").status_code == 200
    assert log_in(attacker, password="not-the-password-1").status_code == 429  # the fifth failure locks
    locked = log_in(attacker, code=current_code(device))  # then even the right password and code
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many sign-in attempts" in html and "1 hour" in html and "Skip to main content" in html

    elsewhere = https_client(headers={"X-Real-IP": "198.51.100.7"})
    assert log_in(elsewhere, code=current_code(device)).status_code == 302  # the editor, from their own address
    assert "not-the-password-1" not in caplog.text and PASSWORD not in caplog.text
    assert "Failed sign-in: user='editor' ip=203.0.113.9" in caplog.text
    assert "Sign-in: user='editor' ip=198.51.100.7" in caplog.text


def test_a_wrong_code_after_the_right_password_is_a_failed_sign_in_and_locks_out(django_user_model, caplog):
    device = enrol(make_editor(django_user_model))
    attacker = https_client()
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    answers = [log_in(attacker, code=code) for code in (wrong, "\x00", "<script>", "", wrong)]
    assert [response.status_code for response in answers] == [200, 200, 200, 200, 429]  # as for wrong passwords
    assert caplog.text.count("Failed sign-in: user='editor'") == 5
    device.refresh_from_db()
    device.throttle_reset()  # the app's own slowing down is not what refuses the next attempt
    assert log_in(attacker, code=current_code(device)).status_code == 429  # even the right code, for an hour
    assert log_in(https_client(), password="not-the-password", code=wrong).status_code == 429


def test_the_client_address_comes_only_from_the_configured_header(django_user_model, settings):
    make_editor(django_user_model)
    settings.CLIENT_IP_HEADER = ""
    for n in range(6):  # a spoofed header changes nothing: the connection's address is locked out
        response = https_client(headers={"X-Forwarded-For": f"10.0.0.{n}"}).post(
            LOGIN, {"username": "editor", "password": "wrong-password"}
        )
    assert response.status_code == 429


def test_the_lockout_lifts_by_itself_after_an_hour(django_user_model):
    from axes.models import AccessAttempt

    device = enrol(make_editor(django_user_model))
    client = https_client()
    for _ in range(5):
        log_in(client, password="wrong-password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=59))
    assert log_in(client, code=current_code(device)).status_code == 429  # still within the hour
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=61))
    assert log_in(client, code=current_code(device)).status_code == 302


def test_lockout_can_be_reset_by_the_operator(django_user_model):
    device = enrol(make_editor(django_user_model))
    client = https_client()
    for _ in range(6):
        log_in(client, password="wrong-password")
    assert log_in(client, code=current_code(device)).status_code == 429
    call_command("axes_reset_username", "editor", verbosity=0)
    assert log_in(client, code=current_code(device)).status_code == 302


# --- Sessions -------------------------------------------------------------------------------


def test_a_session_ends_eight_hours_after_sign_in(django_user_model):
    client = https_client()
    sign_in_with_both_factors(client, make_editor(django_user_model))
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 8 * 60 * 60 - 1
    session.save()
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/").status_code == 302  # and stays ended


def test_logout_invalidates_the_session_on_the_server(django_user_model):
    device = enrol(make_editor(django_user_model))
    client = https_client()
    log_in(client, code=current_code(device))
    stolen = client.cookies["sessionid"].value
    assert client.post("/admin/logout/").status_code == 200
    replay = https_client()
    replay.cookies["sessionid"] = stolen
    assert replay.get("/admin/").status_code == 302


def test_enrol_totp_gives_an_editor_one_app(django_user_model, capsys):
    make_editor(django_user_model)
    call_command("enrol_totp", "editor")
    assert "otpauth://totp/" in capsys.readouterr().out
    with pytest.raises(Exception, match="already has"):
        call_command("enrol_totp", "editor")
    call_command("enrol_totp", "editor", "--replace")
    with pytest.raises(Exception, match="No staff account"):
        call_command("enrol_totp", "nobody")
