"""Links to the downloads and the feed of the search a page shows."""

from django import template

from stocktake.core.addresses import address

from ..exports import CONTENT_TYPES, FORMATS
from ..parameters import search_query_string
from ..views import FORMAT_NAMES

register = template.Library()


def _search_query(request) -> str:
    query = search_query_string(request.GET).urlencode() if request is not None else ""
    return f"?{query}" if query else ""


@register.simple_tag(takes_context=True)
def search_feed_url(context) -> str:
    """The Atom feed of the current page's search."""
    return address("opendata:feed") + _search_query(context.get("request"))


@register.inclusion_tag("opendata/_download_links.html", takes_context=True)
def search_downloads(context) -> dict:
    """The downloads and the feed of the current page's search."""
    query = _search_query(context.get("request"))
    return {
        "downloads": [
            {
                "format": format,
                "name": FORMAT_NAMES[format],
                "type": CONTENT_TYPES[format].split(";")[0],
                "url": address("opendata:export", format) + query,
            }
            for format in FORMATS
        ],
        "feed_url": address("opendata:feed") + query,
        "open_data_url": address("opendata:index"),
    }
