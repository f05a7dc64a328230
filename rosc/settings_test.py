"""Settings for the test suite: the real settings with a fast password hasher,
tasks captured instead of run, and no demo shortcut for MFA."""

from rosc.settings import *  # noqa: F403
from rosc.settings import STORAGES

ROSC_DEMO = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default", "notifications"]}}
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ROSC_SMS_BACKEND = "memory"

# One test database per process, so that two test runs on one machine never share a file.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import os as _os

    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{_os.getpid()}.sqlite3")}  # noqa: F405
else:
    import os as _os

    # One PostgreSQL test database per process as well, for the same reason.
    DATABASES["default"]["TEST"] = {"NAME": f"test_rosc_{_os.getpid()}"}  # noqa: F405
