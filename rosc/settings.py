"""Open ROSC settings, read from the environment.

Safe defaults for a laptop (SQLite, console email and SMS). Setting
``ROSC_PRODUCTION=1`` switches on the production profile, which refuses to
start unless it has a real secret key, allowed hosts and a database URL, and
which refuses DEBUG and the demo mode.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from rosc.core.env import (
    ImproperlyConfiguredSetting,
    env_bool,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ROSC_VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = env_bool("ROSC_PRODUCTION", False)
DEBUG = env_bool("DEBUG", False)
# Demo mode lets staff personas skip the second factor. Never in production.
ROSC_DEMO = env_bool("ROSC_DEMO", False)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY, file_var="SECRET_KEY_FILE")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

if PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("DEBUG must be off in production.")
    if ROSC_DEMO:
        problems.append("ROSC_DEMO must be off in production (it lets staff skip MFA).")
    if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY (or SECRET_KEY_FILE) must be set to a random value of 50+ characters.")
    if not env_str("ALLOWED_HOSTS", ""):
        problems.append("ALLOWED_HOSTS must list the host names this site answers to.")
    if not env_str("DATABASE_URL", ""):
        problems.append("DATABASE_URL must be set in production.")
    if not env_str("ROSC_SITE_URL", "").startswith("https://"):
        problems.append("ROSC_SITE_URL must be the site's https:// address, for links in emails and texts.")
    if problems:
        raise ImproperlyConfiguredSetting("Refusing to start: " + " ".join(problems))

SITE_NAME = env_str("ROSC_SITE_NAME", "Open ROSC")
AREA_NAME = env_str("ROSC_AREA_NAME", "Essex")
SUPPORT_EMAIL = env_str("ROSC_SUPPORT_EMAIL", "help@openrosc.example")
PHASE = env_str("ROSC_PHASE", "Alpha")
# The public address of the site, used to build links in emails and texts.
ROSC_SITE_URL = env_str("ROSC_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Open Referral UK API: requests allowed per client address ("120/m", "1000/h", "10/5m"),
# and the radius used when a postcode is given without a proximity.
ROSC_API_RATE_LIMIT = env_str("ROSC_API_RATE_LIMIT", "120/m")
ROSC_API_DEFAULT_PROXIMITY_METRES = env_int("ROSC_API_DEFAULT_PROXIMITY_METRES", 40000)
# A directory listing not confirmed for this many days is flagged and its managers reminded.
ROSC_LISTING_STALE_DAYS = env_int("ROSC_LISTING_STALE_DAYS", 90)
# A receiving service answers a referral within this many working days (England and Wales bank holidays excluded).
ROSC_REFERRAL_RESPONSE_WORKING_DAYS = env_int("ROSC_REFERRAL_RESPONSE_WORKING_DAYS", 2)
# Another copy of the GOV.UK bank-holiday list, if not the one in rosc/referrals/data/.
ROSC_BANK_HOLIDAYS_FILE = env_str("ROSC_BANK_HOLIDAYS_FILE", "")
# Front door: how long a kept pathway and a request's status link last, and rate limits per address (docs/adr/0020).
ROSC_FRONTDOOR_PATHWAY_DAYS = env_int("ROSC_FRONTDOOR_PATHWAY_DAYS", 90)
ROSC_FRONTDOOR_STATUS_DAYS = env_int("ROSC_FRONTDOOR_STATUS_DAYS", 180)
ROSC_FRONTDOOR_PATHWAY_LIMIT = env_str("ROSC_FRONTDOOR_PATHWAY_LIMIT", "30/h")
ROSC_FRONTDOOR_LINK_LIMIT = env_str("ROSC_FRONTDOOR_LINK_LIMIT", "5/h")
ROSC_FRONTDOOR_REQUEST_LIMIT = env_str("ROSC_FRONTDOOR_REQUEST_LIMIT", "5/h")
# Peer mentoring: how many days before a DBS check or training expires the mentor and supervisor are reminded.
ROSC_PEER_CHECK_REMINDER_DAYS = env_int("ROSC_PEER_CHECK_REMINDER_DAYS", 30)
# Shared record: how long each kind of record is kept, and reminder notice for plan reviews (docs/adr/0017).
ROSC_RECORD_RETENTION_DAYS = {
    kind: env_int(f"ROSC_RETENTION_{kind.upper()}_DAYS", 2922)
    for kind in ("closed_record", "note", "finished_goal", "ended_consent", "disclosure", "break_glass")
}
ROSC_PLAN_REVIEW_NOTICE_DAYS = env_int("ROSC_PLAN_REVIEW_NOTICE_DAYS", 3)
# Community research: counts below this are shown as "fewer than N" (docs/adr/0016).
ROSC_RESEARCH_SUPPRESS_BELOW = env_int("ROSC_RESEARCH_SUPPRESS_BELOW", 5)

INSTALLED_APPS = [
    "rosc.core",
    "rosc.directory",
    "rosc.record",
    "rosc.referrals",
    "rosc.frontdoor",
    "rosc.voice",
    "rosc.fund",
    "rosc.research",
    "rosc.outcomes",
    "rosc.peers",
    "rosc.continuing",
    "rosc.family",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rules",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "rosc.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "rosc.core.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "rosc.core.middleware.StaffMFAMiddleware",
]

ROOT_URLCONF = "rosc.urls"
WSGI_APPLICATION = "rosc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "rosc" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "rosc.core.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "rosc.core.forms.GovukFormRenderer"

# --- Database -----------------------------------------------------------------
# SQLite by default, tuned so a web process and a worker can share it: WAL
# journal, a busy timeout and IMMEDIATE transactions (no upgrade deadlocks).
_sqlite_path = VAR_DIR / "rosc.sqlite3"
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{_sqlite_path}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, shared by every web process) ----------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "rosc_cache"}}

# --- Background tasks -------------------------------------------------------------
TASKS_BACKEND = env_str("ROSC_TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfiguredSetting(
        f"ROSC_TASKS_BACKEND must be one of {', '.join(sorted(_TASK_BACKENDS))}, not {TASKS_BACKEND!r}."
    )
TASK_QUEUES = ["default", "notifications"]
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": TASK_QUEUES}}
if TASKS_BACKEND == "rq":
    # For scale: tasks in Redis, run by RQ workers
    # (`manage.py rqworker default notifications --job-class django_tasks_rq.Job`).
    if not REDIS_URL:
        raise ImproperlyConfiguredSetting("ROSC_TASKS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {queue: {"URL": REDIS_URL} for queue in TASK_QUEUES}

# --- Users, sign-in, MFA --------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# NCSC / NIST SP 800-63B: length and a deny list, no composition rules, paste allowed.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "rosc.core.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SIGNUP_FORM_CLASS = "rosc.core.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "rosc.core.adapters.AccountAdapter"
# Repeated failed sign-ins for one account are refused for a while (lockout).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("ROSC_LOGIN_FAILED_LIMIT", "5/15m/key,20/15m/ip"),
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# WebAuthn is off: its pages need inline scripts that the strict CSP forbids (docs/adr/0005).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = SITE_NAME
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
USERSESSIONS_TRACK_ACTIVITY = True
ROSC_SIGNUP_OPEN = env_bool("ROSC_SIGNUP_OPEN", True)
# Behind a reverse proxy, how many proxies append to X-Forwarded-For; used for
# per-address sign-in limits and the address in the audit log.
ROSC_TRUSTED_PROXY_COUNT = env_int("ROSC_TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = ROSC_TRUSTED_PROXY_COUNT

# Staff sessions end after 15 minutes without activity; every session ends
# after an absolute lifetime.
ROSC_STAFF_IDLE_SECONDS = env_int("ROSC_STAFF_IDLE_SECONDS", 15 * 60)
ROSC_PUBLIC_IDLE_SECONDS = env_int("ROSC_PUBLIC_IDLE_SECONDS", 2 * 60 * 60)
ROSC_SESSION_ABSOLUTE_SECONDS = env_int("ROSC_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = ROSC_SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security headers -----------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-rosc_session"
    CSRF_COOKIE_NAME = "__Host-rosc_csrftoken"
else:
    SESSION_COOKIE_NAME = "rosc_session"
    CSRF_COOKIE_NAME = "rosc_csrftoken"

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("ROSC_MANIFEST_STATIC", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", False)

# --- Email and SMS -------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "", file_var="EMAIL_HOST_PASSWORD_FILE")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Open ROSC <no-reply@openrosc.example>")
ROSC_SMS_BACKEND = env_str("ROSC_SMS_BACKEND", "console")
if ROSC_SMS_BACKEND not in {"console", "notify", "memory"}:
    raise ImproperlyConfiguredSetting("ROSC_SMS_BACKEND must be console, notify or memory.")
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", "", file_var="NOTIFY_API_KEY_FILE")
NOTIFY_SMS_TEMPLATE_ID = env_str("NOTIFY_SMS_TEMPLATE_ID", "")
if ROSC_SMS_BACKEND == "notify" and not (NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID):
    raise ImproperlyConfiguredSetting("ROSC_SMS_BACKEND=notify needs NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID.")
ROSC_NOTIFY_MAX_ATTEMPTS = env_int("ROSC_NOTIFY_MAX_ATTEMPTS", 5)
ROSC_NOTIFY_BACKOFF_SECONDS = env_int("ROSC_NOTIFY_BACKOFF_SECONDS", 30)

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Logging: nothing sensitive, no request bodies -------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
