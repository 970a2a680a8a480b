"""Shared settings. Every value that differs between deployments comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The checkout holding src/, package.json and node_modules/.
PROJECT_DIR = PACKAGE_DIR.parent.parent

env = environ.Env()

VAR_DIR = Path(env("STOCKTAKE_VAR_DIR", default=str(PROJECT_DIR / "var")))
NODE_MODULES_DIR = Path(env("STOCKTAKE_NODE_MODULES", default=str(PROJECT_DIR / "node_modules")))

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "stocktake.core",
    "stocktake.accounts",
    "stocktake.vocabularies",
    "stocktake.organisations",
    "stocktake.initiatives",
    "stocktake.search",
    "stocktake.opendata",
    "stocktake.imports",
    "stocktake.api",
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
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns locked-out logins into a clear answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stocktake.urls"
WSGI_APPLICATION = "stocktake.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stocktake.core.context_processors.site",
            ],
        },
    },
]


# --- Database -------------------------------------------------------------------------------
# DATABASE_URL: sqlite:////abs/path.sqlite3 (embedded default) or postgres://user:pass@host/db.
def _database_from_env() -> dict:
    default_sqlite = f"sqlite:///{VAR_DIR / 'stocktake.sqlite3'}"
    try:
        config = env.db("DATABASE_URL", default=default_sqlite)
    except (ImproperlyConfigured, KeyError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL Stocktake understands ({exc}). "
            "Use sqlite:////absolute/path.sqlite3 or postgres://user:password@host:5432/name."
        ) from exc
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        # WAL lets readers go on while one process writes; IMMEDIATE avoids lock upgrades
        # failing half-way through a write transaction.
        config.setdefault("OPTIONS", {}).update(
            {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            }
        )
    elif engine not in {"django.db.backends.postgresql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL selects the engine {engine!r}; Stocktake supports SQLite and PostgreSQL."
        )
    config.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
    config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": _database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "home"

# Login attempts are rate-limited per account name and address; the lock is kept in the
# database, so it holds across processes.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And any account name from one address (accounts/throttling.py): a higher bar, as an office
# or a campus shares one address.
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


# --- Languages ------------------------------------------------------------------------------
# Adding a language: add its code here (or in the LANGUAGES variable), add a translation file
# under locale/, and give every vocabulary term a label in it.
def _languages_from_env() -> list[tuple[str, str]]:
    codes = env.list("LANGUAGES", default=["ar", "en", "fr"])
    unknown = [code for code in codes if code not in LANG_INFO]
    if unknown:
        raise ImproperlyConfigured(
            f"LANGUAGES lists {', '.join(unknown)}, which Django does not know as language codes."
        )
    return [(code, LANG_INFO[code]["name_local"]) for code in codes]


LANGUAGES = _languages_from_env()
LANGUAGE_CODE = env("LANGUAGE_CODE", default="en")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"LANGUAGE_CODE {LANGUAGE_CODE!r} is not one of LANGUAGES ({', '.join(dict(LANGUAGES))})."
    )
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The language picked in the switcher is remembered for a year (the root address follows it).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static files (served by the app itself; nothing from a CDN) ----------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES_DIR / "htmx.org" / "dist"),
    ("vendor/fonts/noto-sans", NODE_MODULES_DIR / "@fontsource" / "noto-sans" / "files"),
    (
        "vendor/fonts/noto-sans-arabic",
        NODE_MODULES_DIR / "@fontsource" / "noto-sans-arabic" / "files",
    ),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Stocktake <noreply@localhost>")


# --- API ------------------------------------------------------------------------------------
def _api_rate_from_env(name: str, default: str) -> str:
    rate = env(name, default=default).strip()
    number, _, period = rate.partition("/")
    if not (number.isdigit() and period in {"second", "minute", "hour", "day"}):
        raise ImproperlyConfigured(
            f"{name} is {rate!r}; write a number of requests per second, minute, hour or day, "
            "for example 120/minute."
        )
    return rate


def _api_num_proxies_from_env() -> int:
    value = env("API_NUM_PROXIES", default="0").strip()
    if not value.isdigit():
        raise ImproperlyConfigured(
            f"API_NUM_PROXIES is {value!r}; give the number of reverse proxies in front of the "
            "app that add to X-Forwarded-For (0 when clients connect directly)."
        )
    return int(value)


REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "stocktake.api.problems.problem_exception_handler",
    # Personal API tokens first: a request that sends one is judged by it alone, and a
    # missing login is answered 401 with a Bearer challenge.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "stocktake.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Anyone may read; a read-only token may not write. Write views add IsAuthenticated.
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.AllowAny",
        "stocktake.api.permissions.TokenScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "stocktake.api.throttling.AnonymousAddressThrottle",
        "stocktake.api.throttling.ApiTokenThrottle",
        "stocktake.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": _api_rate_from_env("API_ANON_RATE", "120/minute"),
        "token": _api_rate_from_env("API_TOKEN_RATE", "600/minute"),
        "user": _api_rate_from_env("API_USER_RATE", "1200/minute"),
    },
    # The client address for per-address limits: REMOTE_ADDR (0), or the address that many
    # proxies back in X-Forwarded-For. Never trust the header without a proxy that sets it.
    "NUM_PROXIES": _api_num_proxies_from_env(),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Stocktake API",
    "DESCRIPTION": (
        "Open data on ICT and emerging-technology initiatives, classified by the WSIS Action "
        "Lines, the Sustainable Development Goals and the Global Digital Compact."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Stocktake ------------------------------------------------------------------------------
# The instance name shown in page titles (a proper name, not translated).
SITE_NAME = env("SITE_NAME", default="Stocktake")
# The public address, for links in e-mails (no trailing slash).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
VOCABULARY_DATA_DIR = Path(
    env("STOCKTAKE_VOCABULARY_DIR", default=str(PACKAGE_DIR / "vocabularies" / "data"))
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Background work (imports): django-tasks with its database backend; `stocktake db_worker`
# runs the queue. Tests run tasks at once (settings.test).
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

# --- Imports (stocktake.imports) ------------------------------------------------------------
# Uploaded files wait under IMPORT_DIR (never under MEDIA_ROOT: they are not public) until
# their commit finishes; the worker must see the same directory as the web processes.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
IMPORT_DIR = Path(env("IMPORT_DIR", default=str(VAR_DIR / "imports")))

# --- Open data (stocktake.opendata) ---------------------------------------------------------
# The licence every download and the open data page state (a Link rel="license" header on
# each file), and the attribution asked of re-users.
OPEN_DATA_LICENCE_NAME = env("OPEN_DATA_LICENCE_NAME", default="CC BY 4.0")
OPEN_DATA_LICENCE_URL = env(
    "OPEN_DATA_LICENCE_URL", default="https://creativecommons.org/licenses/by/4.0/"
)
OPEN_DATA_ATTRIBUTION = env("OPEN_DATA_ATTRIBUTION", default="")

# --- Cache (API rate-limit counters) -------------------------------------------------------
# The default keeps counters in each process's memory. With several app processes set
# CACHE_URL to a cache they share, e.g. dbcache://stocktake_cache (after
# `stocktake createcachetable`) or redis://host:6379/0, so the limits hold across them.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
