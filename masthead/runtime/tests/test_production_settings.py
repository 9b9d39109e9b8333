"""Production settings: `check --deploy` is clean, and missing secrets stop the start-up."""

import os
import secrets
import subprocess

from masthead.testing import fixtures


def manage_py(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="masthead.settings.production", **environment)
    return fixtures.manage_py(env, *arguments)


def test_deploy_check_is_clean():
    finished = manage_py(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="news.example.org",
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "no issues" in finished.stdout


def test_without_a_secret_key_it_refuses_to_start():
    finished = manage_py("check", ALLOWED_HOSTS="news.example.org")
    assert finished.returncode != 0
    assert "SECRET_KEY must be set in the environment" in finished.stderr


def test_without_allowed_hosts_it_refuses_to_start():
    finished = manage_py("check", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="")
    assert finished.returncode != 0
    assert "ALLOWED_HOSTS must name the site" in finished.stderr
