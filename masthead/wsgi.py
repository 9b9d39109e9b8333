"""The WSGI application the web server (granian) serves: Django behind the full-page cache,
behind the tip box's forgetting of senders."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")

django_application = get_wsgi_application()

from masthead.pagecache.wsgi import wrap  # noqa: E402 - needs the settings loaded above
from masthead.tips.middleware import forget_tip_sender_wsgi  # noqa: E402

# Outermost: tip box requests lose their sender's address and browser before anything sees them.
application = forget_tip_sender_wsgi(wrap(django_application))
