"""Links to the downloads and the feed of the search a page shows."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.translation import get_language

from ..exports import CONTENT_TYPES, FORMATS
from ..parameters import search_query_string
from ..views import FORMAT_NAMES

register = template.Library()


def _search_query(request) -> str:
    query = search_query_string(request.GET).urlencode() if request is not None else ""
    return f"?{query}" if query else ""


@lru_cache(maxsize=32)
def _addresses(language: str | None, script_prefix: str) -> tuple[tuple[str, str], str, str]:
    """((format, export address) for each format, the feed's, the open data page's) in one
    language (and under one script prefix): reversed once, not on every list page."""
    with translation.override(language):
        return (
            tuple((format, reverse("opendata:export", args=[format])) for format in FORMATS),
            reverse("opendata:feed"),
            reverse("opendata:index"),
        )


def _language_addresses() -> tuple[tuple[str, str], str, str]:
    return _addresses(get_language(), get_script_prefix())


@register.simple_tag(takes_context=True)
def search_feed_url(context) -> str:
    """The Atom feed of the current page's search."""
    return _language_addresses()[1] + _search_query(context.get("request"))


@register.inclusion_tag("opendata/_download_links.html", takes_context=True)
def search_downloads(context) -> dict:
    """The downloads and the feed of the current page's search."""
    exports, feed_url, open_data_url = _language_addresses()
    query = _search_query(context.get("request"))
    return {
        "downloads": [
            {
                "format": format,
                "name": FORMAT_NAMES[format],
                "type": CONTENT_TYPES[format].split(";")[0],
                "url": url + query,
            }
            for format, url in exports
        ],
        "feed_url": feed_url + query,
        "open_data_url": open_data_url,
    }
