"""Production overrides: HTTPS only, strict cookies and HSTS, and no built-in secrets.

Use with DJANGO_SETTINGS_MODULE=masthead.settings.production. Everything else (database,
cache, e-mail) is configured through the same environment variables as the embedded mode.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from masthead.settings import *  # noqa: F403
from masthead.settings import env_bool, env_int, env_list

if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment in production.")
SECRET_KEY = os.environ["SECRET_KEY"]

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host(s) in production.")

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers ask for /healthz over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (nginx, Caddy, a load balancer).
if env_bool("MASTHEAD_BEHIND_PROXY", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # deploy/nginx/masthead.conf sets X-Real-IP to the reader's address (rate limits use it).
    MASTHEAD_CLIENT_IP_HEADER = os.environ.get("MASTHEAD_CLIENT_IP_HEADER", "HTTP_X_REAL_IP")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Cookies only over HTTPS, and out of reach of scripts: Masthead's own scripts never read them
# (the editor takes its CSRF token from the page, not the cookie).
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
MASTHEAD_SERVE_MEDIA = env_bool("MASTHEAD_SERVE_MEDIA", False)
