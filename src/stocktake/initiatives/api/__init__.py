"""The API over entries: search (search.py), one published entry (entries.py), drafts and the
lifecycle (drafts.py), the moderation queue (moderation.py) and countries (countries.py)."""

from .countries import CountryListApi
from .drafts import ACTION_VIEWS, DraftApi, InitiativeCollectionApi
from .entries import InitiativeDetailApi
from .moderation import ModerationQueueApi
from .search import InitiativeFacetsApi, InitiativeSearchApi, search_parameters

__all__ = [
    "ACTION_VIEWS",
    "CountryListApi",
    "DraftApi",
    "InitiativeCollectionApi",
    "InitiativeDetailApi",
    "InitiativeFacetsApi",
    "InitiativeSearchApi",
    "ModerationQueueApi",
    "search_parameters",  # shared with the open data downloads and the feed
]
