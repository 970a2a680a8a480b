"""Local development: DEBUG on, SQLite under var/, e-mail printed on the console."""

import os

# Development runs with a fixed, clearly insecure key unless one is provided; production
# settings refuse it.
os.environ.setdefault("SECRET_KEY", "django-insecure-development-only-key-never-use-in-production")
os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403
from .base import STATIC_ROOT, VAR_DIR

VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it; runserver uses finders
