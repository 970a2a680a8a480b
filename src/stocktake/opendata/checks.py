"""System check: the open data licence must be named and have a web address, since every
download states it."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_open_data_licence(app_configs, **kwargs):
    errors = []
    if not str(settings.OPEN_DATA_LICENCE_NAME).strip():
        errors.append(
            Error(
                "OPEN_DATA_LICENCE_NAME is empty.",
                hint='Name the licence of the open data, e.g. "CC BY 4.0".',
                id="stocktake.opendata.E001",
            )
        )
    url = urlsplit(str(settings.OPEN_DATA_LICENCE_URL))
    if url.scheme not in ("http", "https") or not url.netloc:
        errors.append(
            Error(
                f"OPEN_DATA_LICENCE_URL {settings.OPEN_DATA_LICENCE_URL!r} is not a web address.",
                hint="Give the full address of the licence text, starting with https://.",
                id="stocktake.opendata.E002",
            )
        )
    return errors
