"""An Atom feed of newly published entries for any search of the list page."""

from typing import NamedTuple

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from stocktake.core.i18n import localized
from stocktake.initiatives.models import Initiative
from stocktake.search.selectors import facet_terms

from .columns import TermLink, entry_path
from .parameters import (
    SearchParametersInvalid,
    SearchRequest,
    search_query_string,
    search_request_from,
)
from .selectors import opendata_entries, opendata_ids, opendata_search
from .views import bad_search_response

FEED_ITEMS = 50


class FeedItem(NamedTuple):
    initiative: Initiative
    links: list[TermLink]
    language: str
    guid_base: str


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _in_language(revision, field: str, language: str) -> str:
    """The text in the feed's language, else in the entry's original language, else any."""
    texts = getattr(revision, field) or {}
    return (
        texts.get(language) or texts.get(revision.original_language) or localized(texts, language)
    )


def search_description(search: SearchRequest, *, index=None) -> str:
    """The search in words ("“water”; Tunisia, Egypt"), empty for none."""
    parts = []
    if search.query:
        parts.append(_("“%(words)s”") % {"words": search.query.text})
    terms = facet_terms(index)
    for facet, codes in search.filters.items():
        labels = [terms[(facet, code)].label if (facet, code) in terms else code for code in codes]
        parts.append(", ".join(labels))
    if search.good_practice:
        parts.append(_("good practices"))
    return "; ".join(parts)


class SearchFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except SearchParametersInvalid as error:
            return bad_search_response(request, error)

    def get_object(self, request):
        search = search_request_from(request.GET)
        language = _language()
        result = opendata_search(search=search, language=language, sort="newest")
        ids = opendata_ids(result=result, limit=FEED_ITEMS)
        return {
            "guid_base": request.build_absolute_uri("/"),
            "search": search,
            "language": language,
            "entries": list(opendata_entries(ids=ids, index=result.index)),
            "description": search_description(search, index=result.index),
            "query_string": search_query_string(request.GET).urlencode(),
        }

    def title(self, feed):
        if feed["description"]:
            return _("%(site)s: new entries for %(search)s") % {
                "site": settings.SITE_NAME,
                "search": feed["description"],
            }
        return _("%(site)s: new entries") % {"site": settings.SITE_NAME}

    def link(self, feed):
        url = reverse("initiatives:list")
        return f"{url}?{feed['query_string']}" if feed["query_string"] else url

    def subtitle(self, feed):
        return _("Initiatives newly published, newest first.")

    def feed_url(self, feed):
        url = reverse("opendata:feed")
        return f"{url}?{feed['query_string']}" if feed["query_string"] else url

    def items(self, feed):
        return [
            FeedItem(initiative, links, feed["language"], feed["guid_base"])
            for initiative, links in feed["entries"]
        ]

    def item_title(self, item):
        return _in_language(item.initiative.published_revision, "title", item.language)

    def item_description(self, item):
        summary = _in_language(item.initiative.published_revision, "summary", item.language)
        return escape(summary)  # Atom readers take the summary as HTML

    def item_link(self, item):
        return entry_path(item.initiative.pk, item.language)

    def item_guid(self, item):
        # The same in every language's feed: one entry, one identifier.
        return f"{item.guid_base}initiatives/{item.initiative.pk}"

    def item_guid_is_permalink(self, item):
        return False

    def item_pubdate(self, item):
        return item.initiative.published_at

    def item_updateddate(self, item):
        return item.initiative.last_published_at

    def item_author_name(self, item):
        return item.initiative.organisation.name

    def item_categories(self, item):
        """The entry's WSIS Action Lines, by code."""
        return [
            link.term.code
            for link in item.links
            if link.term.scheme.identifier == "wsis-action-lines"
        ]
