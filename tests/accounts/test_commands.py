import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_local_editor_is_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("ensure_local_editor")
    assert not get_user_model().objects.exists()


def test_local_accounts_are_an_editor_and_a_reviewer_with_random_passwords_once(settings, capsys):
    settings.DEBUG = True
    call_command("ensure_local_editor")
    first = capsys.readouterr().out
    passwords = [line.split("password: ")[1].split()[0] for line in first.splitlines() if "password: " in line]
    assert len(passwords) == 2 and len(set(passwords)) == 2 and all(len(p) >= 20 for p in passwords)
    editor = get_user_model().objects.get(username="editor")
    reviewer = get_user_model().objects.get(username="reviewer")
    for user, role, password in ((editor, "Editors", passwords[0]), (reviewer, "Clinical reviewers", passwords[1])):
        assert user.is_staff and not user.is_superuser and user.check_password(password)
        assert list(user.groups.values_list("name", flat=True)) == [role]
    # The two-person rule holds locally: the editor cannot approve medical text, the reviewer can.
    assert not editor.has_perm("causes.approve_cause") and reviewer.has_perm("causes.approve_cause")

    call_command("ensure_local_editor")
    assert "existing accounts" in capsys.readouterr().out
    assert get_user_model().objects.count() == 2
    assert editor.password == get_user_model().objects.get(username="editor").password
