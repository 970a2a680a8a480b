"""WSGI entry point: `gunicorn stocktake.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stocktake.settings.production")

application = get_wsgi_application()
