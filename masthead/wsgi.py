"""The WSGI application the web server (granian) serves: Django behind the full-page cache."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")

django_application = get_wsgi_application()

from masthead.pagecache.wsgi import wrap  # noqa: E402 - needs the settings loaded above

application = wrap(django_application)
