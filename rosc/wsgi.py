"""WSGI entry point: `gunicorn rosc.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rosc.settings")
application = get_wsgi_application()
