"""WSGI entry point: `gunicorn rosc.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rosc.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the project's modules, settings) lives as
# long as the worker. Moving it out of the collector's view keeps full
# collections short, so they do not add tens of milliseconds to a request now
# and then; in a pre-forking server it also keeps those pages shared between
# workers. See docs/adr/0019-directory-speed-at-national-scale.md.
gc.collect()
gc.freeze()
