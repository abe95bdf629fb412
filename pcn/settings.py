"""The one settings module. Everything that differs between machines comes from the environment.

Development (`make demo`, tests) sets DEBUG=1 or SECRET_KEY explicitly; production must set SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL. See README.md.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pcn.lib.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(envstr("PCN_DATA_DIR", str(BASE_DIR.parent / "var")))

DEBUG = envbool("DEBUG", False)

SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required outside development. Set it in the environment, or set DEBUG=1 on a "
            "development machine."
        )
    SECRET_KEY = "development-only-key-never-use-in-production"

# Keys the custody ledger's hash chain (HMAC). Keep it stable and outside the database: changing it makes every
# existing chain fail `pcn verify_ledger`. Defaults to SECRET_KEY; set it on its own so SECRET_KEY can rotate.
LEDGER_KEY = envstr("LEDGER_KEY") or SECRET_KEY

# Keys the hash of identity fields typed at enrolment to spot double enrolments (pcn.households.identity).
# Keep it stable: changing it means no new enrolment matches an earlier one. Defaults to a key derived from
# SECRET_KEY (so the two are not the same string); set it on its own so SECRET_KEY can rotate.
HOUSEHOLD_IDENTITY_KEY = envstr("HOUSEHOLD_IDENTITY_KEY") or f"pcn.households.identity:{SECRET_KEY}"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "pcn.accounts",
    "pcn.programs",
    "pcn.markets",
    "pcn.governance",
    "pcn.tasks",
    "pcn.coupons",
    "pcn.households",
    "pcn.redemptions",
    "pcn.payments",
    "pcn.funding",
    "pcn.reports",
    "pcn.research",
    "pcn.receipts",
    "pcn.toolbox",
    "pcn.imports",
    "pcn.documents",
    "pcn.simulator",
    "pcn.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First, so that it compresses what every other layer produced (static files included: a vendor's phone on
    # a weak signal). Django's version pads its output against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pcn.urls"
WSGI_APPLICATION = "pcn.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pcn.accounts.context_processors.navigation",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL (postgres://...) selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{DATA_DIR / 'pcn.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL: a long read (printing a series) does not lock out the writers of other processes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# French first, English complete. The wording's source language is French (msgids are French).
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True  # stored in UTC
TIME_ZONE = "America/Toronto"  # shown in Québec's time

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("PCN_MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # No manifest: a page never fails because collectstatic was forgotten; WhiteNoise serves from the apps.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Behind HTTPS in production: secure cookies, HSTS, and trust the proxy's scheme header when told to.
SECURE_COOKIES = envbool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
BEHIND_HTTPS_PROXY = envbool("BEHIND_HTTPS_PROXY", False)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# The address printed in every coupon's QR code (<PUBLIC_BASE_URL>/c/<code>): the site's public address.
PUBLIC_BASE_URL = envstr("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# The coupon check page counts lookups per visitor in the cache. LocMem is per process; with several web
# processes set DATABASE_CACHE=1 (and run `pcn createcachetable` once) so they share one count.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "pcn_cache"}
    if envbool("DATABASE_CACHE", False)
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
COUPON_CHECK_LIMIT = envint("COUPON_CHECK_LIMIT", 30)  # failed lookups per visitor per window
COUPON_CHECK_WINDOW_SECONDS = envint("COUPON_CHECK_WINDOW_SECONDS", 600)

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "pcn@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"  # never in a cookie (temporary passwords)
