"""The search a download or a feed is for: the list page's query string, checked as the
search API checks it (one validation for the API, the exports and the feed)."""

from dataclasses import dataclass, field

from django.http import HttpRequest, QueryDict
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request

from stocktake.initiatives.api.search import search_parameters as api_search_parameters
from stocktake.search.query import SearchQuery, parse_query

# Parameters of the list page that do not change which entries it holds.
PAGE_PARAMETERS = ("page", "page_size", "all")


class SearchParametersInvalid(Exception):
    """The query string does not describe a search: {parameter: [messages]}."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class SearchRequest:
    query: SearchQuery | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)
    good_practice: bool = False
    sort: str = "updated"


def search_query_string(params: QueryDict) -> QueryDict:
    """The parameters that choose the entries: without paging, and without the empty values
    the list's form sends (an empty sort means the default)."""
    kept = QueryDict(mutable=True)
    for name, values in params.lists():
        if name in PAGE_PARAMETERS:
            continue
        values = [value for value in values if value.strip()]
        if values:
            kept.setlist(name, values)
    return kept


def search_request_from(params: QueryDict) -> SearchRequest:
    """The search in `params` (a request's GET). Raises SearchParametersInvalid."""
    kept = search_query_string(params)
    plain = HttpRequest()
    plain.method, plain.GET = "GET", kept
    request = Request(plain)
    try:
        data, filters = api_search_parameters(request)
    except ApiValidationError as error:
        detail = error.detail if isinstance(error.detail, dict) else {"": error.detail}
        raise SearchParametersInvalid(
            {name: [str(message) for message in messages] for name, messages in detail.items()}
        ) from None
    query = parse_query(data.get("q", ""))
    return SearchRequest(
        query=query,
        filters=filters,
        good_practice=data["good_practice"],
        sort=data.get("sort") or ("relevance" if query else "updated"),
    )
