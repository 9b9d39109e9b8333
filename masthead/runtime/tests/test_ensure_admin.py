"""`manage.py ensure_admin`: someone can always sign in, and nothing is overwritten by accident."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(monkeypatch, **environment) -> str:
    for name in ("MASTHEAD_ADMIN_USERNAME", "MASTHEAD_ADMIN_PASSWORD", "MASTHEAD_ADMIN_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    output = io.StringIO()
    call_command("ensure_admin", stdout=output)
    return output.getvalue()


def test_first_run_creates_admin_with_a_random_password_shown_once(monkeypatch, client):
    output = run(monkeypatch)
    password = output.split("password: ")[1].split()[0]
    assert len(password) >= 12
    assert client.login(username="admin", password=password)

    again = run(monkeypatch)
    assert "password: " not in again
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_account_from_the_environment(monkeypatch, client):
    output = run(
        monkeypatch,
        MASTHEAD_ADMIN_USERNAME="editor-in-chief",
        MASTHEAD_ADMIN_PASSWORD="a long and private passphrase",
        MASTHEAD_ADMIN_EMAIL="chief@example.org",
    )
    assert "a long and private passphrase" not in output
    assert client.login(username="editor-in-chief", password="a long and private passphrase")
    user = get_user_model().objects.get(username="editor-in-chief")
    assert user.is_superuser and user.email == "chief@example.org"

    # A changed password in the environment takes effect on the next start.
    run(monkeypatch, MASTHEAD_ADMIN_USERNAME="editor-in-chief", MASTHEAD_ADMIN_PASSWORD="new one!!")
    assert client.login(username="editor-in-chief", password="new one!!")


def test_half_configured_environment_is_refused(monkeypatch):
    with pytest.raises(CommandError, match="MASTHEAD_ADMIN_USERNAME and MASTHEAD_ADMIN_PASSWORD"):
        run(monkeypatch, MASTHEAD_ADMIN_USERNAME="someone")
    assert not get_user_model().objects.exists()
