"""Production: secure by default, and refuses to start with a missing or weak secret."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, SECRET_KEY, env

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must not be on with production settings.")


def _check_secret_key(key: str) -> None:
    if not key:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` "
            "and set it in the environment."
        )
    # A random key of 50 URL-safe characters has about 35 different ones; a repeated pattern
    # ("abcde" * 10) has few.
    if key.startswith("django-insecure") or len(key) < 50 or len(set(key)) < 20:
        raise ImproperlyConfigured(
            "SECRET_KEY is too weak: use at least 50 random characters, at least 20 of them "
            "different, not starting with 'django-insecure' "
            "(`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )


_check_secret_key(SECRET_KEY)

# Persistent connections (health-checked, base.py): a PostgreSQL connection costs a server
# process with cold caches, and an SQLite one its page cache; reopening either on every
# request would cost more than most pages.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_CONFIG)
