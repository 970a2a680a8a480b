"""Links to the downloads and the feed of the search a page shows."""

from django import template
from django.urls import reverse

from ..exports import CONTENT_TYPES, FORMATS
from ..parameters import search_query_string
from ..views import FORMAT_NAMES

register = template.Library()


def _with_search(url: str, request) -> str:
    query = search_query_string(request.GET).urlencode() if request is not None else ""
    return f"{url}?{query}" if query else url


@register.simple_tag(takes_context=True)
def search_feed_url(context) -> str:
    """The Atom feed of the current page's search."""
    return _with_search(reverse("opendata:feed"), context.get("request"))


@register.inclusion_tag("opendata/_download_links.html", takes_context=True)
def search_downloads(context) -> dict:
    """The downloads and the feed of the current page's search."""
    request = context.get("request")
    return {
        "downloads": [
            {
                "format": format,
                "name": FORMAT_NAMES[format],
                "type": CONTENT_TYPES[format].split(";")[0],
                "url": _with_search(reverse("opendata:export", args=[format]), request),
            }
            for format in FORMATS
        ],
        "feed_url": _with_search(reverse("opendata:feed"), request),
        "open_data_url": reverse("opendata:index"),
    }
