"""Settings for the test suite (pytest-django)."""

import os

os.environ.setdefault("SECRET_KEY", "django-insecure-test-only-key")
os.environ["DEBUG"] = "false"

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, STATIC_ROOT, VAR_DIR

VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it; runserver uses finders
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests exercise throttling explicitly where they need it.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
