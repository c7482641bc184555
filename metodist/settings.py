"""Settings of Metodist, read from the environment (METODIST_*).

With no variables set, Metodist runs in debug mode on the embedded SQLite database in `var/`.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("METODIST_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("METODIST_DEBUG", True)
SECRET_KEY = os.environ.get("METODIST_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("Set METODIST_SECRET_KEY when METODIST_DEBUG is off.")
    SECRET_KEY = "metodist-insecure-development-key-do-not-use-in-production"

# The public address of the site, for links in mails sent outside a request (`metodist remind`).
METODIST_BASE_URL = os.environ.get("METODIST_BASE_URL", "")
ALLOWED_HOSTS = env_list("METODIST_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("METODIST_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "treebeard",
    "ninja",
    "simple_history",
    "metodist.core",
    "metodist.network",
    "metodist.accounts",
    "metodist.events",
    "metodist.assistance",
    "metodist.reporting",
    "metodist.marketing",
    "metodist.outreach",
    "metodist.api",
    "metodist.dashboard",
    "metodist.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "metodist.urls"
WSGI_APPLICATION = "metodist.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "metodist.core.context_processors.navigation",
            ],
        },
    }
]

if "METODIST_DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("METODIST_DATABASE_URL", f"sqlite:///{VAR_DIR / 'metodist.sqlite3'}"),
        conn_max_age=int(os.environ.get("METODIST_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one request writes; IMMEDIATE avoids "database is locked" on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # Seconds a connection waits for another one's write lock before "database is locked".
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "metodist",
    }
}
if os.environ.get("METODIST_CACHE_DIR"):
    # Shared between gunicorn workers, so login throttling counts across processes.
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ["METODIST_CACHE_DIR"],
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed logins allowed per user name and per address within the window, before a pause.
LOGIN_THROTTLE_ATTEMPTS = int(os.environ.get("METODIST_LOGIN_THROTTLE_ATTEMPTS", "5"))
# Behind nginx, the client's address is the last one in X-Forwarded-For, not REMOTE_ADDR.
METODIST_BEHIND_PROXY = env_bool("METODIST_BEHIND_PROXY", False)
LOGIN_THROTTLE_WINDOW = int(os.environ.get("METODIST_LOGIN_THROTTLE_WINDOW", "900"))

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("kk", _("Kazakh")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["metodist.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("METODIST_TIME_ZONE", "Asia/Almaty")

# Public survey pages: at most this many responses per survey from one address within the window (seconds).
SURVEY_RATE_LIMIT = int(os.environ.get("METODIST_SURVEY_RATE_LIMIT", "20"))
SURVEY_RATE_WINDOW = int(os.environ.get("METODIST_SURVEY_RATE_WINDOW", "3600"))
LANGUAGE_COOKIE_NAME = "metodist_language"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("METODIST_STATIC_ROOT", VAR_DIR / "static"))
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# A checked registry file waits here until the user confirms the import (gunicorn workers share it).
REGISTRY_IMPORT_STASH_DIR = VAR_DIR / "import-stash"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("METODIST_MEDIA_ROOT", VAR_DIR / "media"))

EMAIL_BACKEND = os.environ.get("METODIST_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("METODIST_DEFAULT_FROM_EMAIL", "metodist@localhost")
EMAIL_HOST = os.environ.get("METODIST_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("METODIST_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("METODIST_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("METODIST_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("METODIST_EMAIL_TLS", False)

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("METODIST_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("METODIST_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("METODIST_LOG_LEVEL", "WARNING")},
}
