"""Production settings: `check --deploy` is clean, HTTPS headers and cookies are strict, and
missing secrets stop the start-up."""

import json
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
        MASTHEAD_TIPS_PEPPER=secrets.token_urlsafe(48),
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "no issues" in finished.stdout


def test_deploy_check_asks_for_the_tip_box_pepper():
    finished = manage_py(
        "check",
        "--deploy",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="news.example.org",
        MASTHEAD_TIPS_PEPPER="",
    )
    assert "tips.W001" in finished.stderr + finished.stdout
    assert "MASTHEAD_TIPS_PEPPER is not set" in finished.stderr + finished.stdout


def test_without_a_secret_key_it_refuses_to_start():
    finished = manage_py("check", ALLOWED_HOSTS="news.example.org")
    assert finished.returncode != 0
    assert "SECRET_KEY must be set in the environment" in finished.stderr


def test_without_allowed_hosts_it_refuses_to_start():
    finished = manage_py("check", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="")
    assert finished.returncode != 0
    assert "ALLOWED_HOSTS must name the site" in finished.stderr


# What a browser (and a load balancer) sees from a production site, in its own process.
SERVED_OVER_HTTPS = """
import json
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import Client, RequestFactory, override_settings

client = Client(HTTP_HOST="news.example.org")
secure = client.get("/healthz", secure=True)
plain = client.get("/healthz")
home = client.get("/")

def sign_in(request):
    get_token(request)
    request.session["signed_in"] = True
    return HttpResponse()

with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cache"):
    request = RequestFactory().get("/", secure=True, HTTP_HOST="news.example.org")
    response = SessionMiddleware(CsrfViewMiddleware(sign_in))(request)
cookies = {
    name: {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"])}
    for name, morsel in response.cookies.items()
}
print(json.dumps({
    "hsts": secure.headers.get("Strict-Transport-Security"),
    "permissions": secure.headers.get("Permissions-Policy", ""),
    "plain_health": plain.status_code,
    "plain_home": [home.status_code, home.headers.get("Location")],
    "cookies": cookies,
}))
"""


def served_over_https(tmp_path, **environment: str) -> dict:
    finished = manage_py(
        "shell",
        "-v",
        "0",
        "-c",
        SERVED_OVER_HTTPS,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="news.example.org",
        MASTHEAD_DATA_DIR=str(tmp_path),
        DATABASE_URL="",
        REDIS_URL="",
        **environment,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return json.loads(finished.stdout.strip().splitlines()[-1])


def test_https_headers_and_cookies(tmp_path):
    seen = served_over_https(tmp_path)
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "camera=()" in seen["permissions"] and "geolocation=()" in seen["permissions"]
    # Readers arriving over plain HTTP are sent to HTTPS ...
    assert seen["plain_home"] == [301, "https://news.example.org/"]
    # ... but a load balancer's plain health check gets its answer.
    assert seen["plain_health"] == 200
    # Neither cookie travels without TLS or can be read by a script.
    assert seen["cookies"] == {
        "csrftoken": {"secure": True, "httponly": True},
        "sessionid": {"secure": True, "httponly": True},
    }


def test_hsts_is_tuned_from_the_environment(tmp_path):
    seen = served_over_https(
        tmp_path,
        SECURE_HSTS_SECONDS="600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        SECURE_HSTS_PRELOAD="0",
    )
    assert seen["hsts"] == "max-age=600"


def test_no_script_of_masthead_reads_the_csrf_cookie():
    """CSRF_COOKIE_HTTPONLY would break any script that did."""
    scripts = list((fixtures.REPO_ROOT / "masthead").glob("**/static/**/*.js"))
    assert scripts
    for script in scripts:
        text = script.read_text()
        assert "document.cookie" not in text and "csrftoken" not in text, script
