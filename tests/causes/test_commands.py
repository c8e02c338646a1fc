import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_local_editor_is_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("ensure_local_editor")
    assert not get_user_model().objects.exists()


def test_local_editor_gets_a_random_password_once(settings, capsys):
    settings.DEBUG = True
    call_command("ensure_local_editor")
    first = capsys.readouterr().out
    password = first.split("password: ")[1].split()[0]
    assert len(password) >= 20
    editor = get_user_model().objects.get(username="editor")
    assert editor.is_staff and editor.check_password(password)

    call_command("ensure_local_editor")
    assert "existing account" in capsys.readouterr().out
    assert get_user_model().objects.count() == 1
