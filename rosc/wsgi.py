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
# A page makes tens of thousands of short-lived objects, nearly all freed by
# reference counting. With the default threshold (700) the collector runs
# about a hundred times per page and now and then scans everything made since
# the freeze, which was a fifth of the slowest pages' time. Collecting after
# 20,000 net new objects instead keeps memory the same and the slow pages
# fewer (measured in docs/adr/0025-directory-search-index.md).
gc.set_threshold(20_000, 10, 10)
