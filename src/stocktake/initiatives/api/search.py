"""The API over published entries: search and browse, with facet counts. The list page and
these endpoints call the same search service (stocktake.search.selectors.search_browse)."""

from django.urls import reverse as url_reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from stocktake.api.base import MAX_PAGE_SIZE, ApiView, page_links
from stocktake.api.problems import ProblemSerializer
from stocktake.core.i18n import localized
from stocktake.search.highlight import highlight
from stocktake.search.query import MAX_QUERY_LENGTH, parse_query
from stocktake.search.selectors import (
    FACETS,
    MAX_VALUE_LENGTH,
    MAX_VALUES_PER_FACET,
    SORTS,
    facet_terms,
    search_browse,
)

from ..selectors import initiative_public_in_order, terms_of

MAX_ORGANISATIONS = 30


class SearchParameters(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_QUERY_LENGTH, trim_whitespace=True
    )
    sort = serializers.ChoiceField(choices=SORTS, required=False)
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=20
    )
    good_practice = serializers.BooleanField(required=False, default=False)
    organisation = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=MAX_ORGANISATIONS,
    )

    def validate(self, data):
        if data.get("sort") == "relevance" and not data.get("q"):
            raise serializers.ValidationError(
                {"sort": [_("Sorting by relevance needs a search (the q parameter).")]}
            )
        return data


def search_parameters(request) -> tuple[dict, dict[str, list[str]]]:
    """Validated parameters and {facet: [codes]}; raises ValidationError (a 400 problem)."""
    data = request.query_params.dict()
    data.pop("organisation", None)
    if "organisation" in request.query_params:
        data["organisation"] = request.query_params.getlist("organisation")
    parameters = SearchParameters(data=data)
    parameters.is_valid(raise_exception=True)
    filters, errors = {}, {}
    if parameters.validated_data.get("organisation"):
        filters["organisation"] = [str(pk) for pk in parameters.validated_data["organisation"]]
    for facet in FACETS:
        codes = [code.strip() for code in request.query_params.getlist(facet) if code.strip()]
        if len(codes) > MAX_VALUES_PER_FACET or any(len(c) > MAX_VALUE_LENGTH for c in codes):
            errors[facet] = [
                _("Give at most %(count)d codes of at most %(length)d characters.")
                % {"count": MAX_VALUES_PER_FACET, "length": MAX_VALUE_LENGTH}
            ]
        elif codes:
            filters[facet] = list(dict.fromkeys(codes))
    if errors:
        raise serializers.ValidationError(errors)
    return parameters.validated_data, filters


def _facets(result) -> dict[str, list[dict]]:
    terms = facet_terms(result.index)
    facets = {}
    for facet, counts in result.counts.items():
        values = []
        for code, count in counts.items():
            term = terms.get((facet, code))
            values.append(
                {
                    "code": code,
                    "label": term.label if term else code,
                    "count": count,
                    "order": (term.sort_order if term else 0, code),
                }
            )
        values.sort(key=lambda value: value.pop("order"))
        facets[facet] = values
    return facets


FACET_VALUE = inline_serializer(
    name="FacetValue",
    fields={
        "code": serializers.CharField(),
        "label": serializers.CharField(help_text="In the language asked for (Accept-Language)."),
        "count": serializers.IntegerField(
            help_text="Entries the list would hold with this value chosen alone in its facet."
        ),
    },
    many=True,
)
FACETS_FIELD = serializers.DictField(child=FACET_VALUE, help_text="Values per facet.")
RESULT = inline_serializer(
    name="InitiativeSearchResult",
    fields={
        "id": serializers.IntegerField(),
        "url": serializers.URLField(help_text="The entry's page."),
        "original_language": serializers.CharField(),
        "title": serializers.DictField(child=serializers.CharField()),
        "summary": serializers.DictField(child=serializers.CharField()),
        "organisation": serializers.DictField(child=serializers.CharField()),
        "countries": serializers.ListField(child=serializers.CharField()),
        "action_lines": serializers.ListField(child=serializers.CharField()),
        "primary_action_line": serializers.CharField(allow_null=True),
        "is_good_practice": serializers.BooleanField(),
        "last_published_at": serializers.DateTimeField(),
        "highlight": serializers.CharField(
            allow_null=True,
            help_text="For a search: the title in the asked language with matched words in "
            "<mark> (HTML, escaped).",
        ),
    },
    many=True,
)
FILTER_PARAMETERS = [
    OpenApiParameter(
        facet,
        OpenApiTypes.STR,
        many=True,
        description="Codes of this facet (repeat for several: OR); facets combine with AND.",
    )
    for facet in FACETS
]
SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        description='Words in Arabic, English or French; "a phrase" in quotes; -word to leave out.',
    ),
    OpenApiParameter("good_practice", OpenApiTypes.BOOL),
    OpenApiParameter(
        "organisation",
        OpenApiTypes.INT,
        many=True,
        description="Ids of lead organisations (repeat for several: OR).",
    ),
    *FILTER_PARAMETERS,
]
BAD_REQUEST = {400: ProblemSerializer}


def _result(request, initiative, query) -> dict:
    revision = initiative.published_revision
    action_lines = terms_of(revision, "wsis-action-lines")
    primary = next((link.term.code for link in action_lines if link.is_primary), None)
    title = localized(revision.title)
    return {
        "id": initiative.pk,
        "url": request.build_absolute_uri(url_reverse("initiatives:detail", args=[initiative.pk])),
        "original_language": revision.original_language,
        "title": revision.title,
        "summary": revision.summary,
        "organisation": initiative.organisation.names,
        "countries": [link.term.code for link in terms_of(revision, "countries")],
        "action_lines": [link.term.code for link in action_lines],
        "primary_action_line": primary,
        "is_good_practice": initiative.is_good_practice,
        "last_published_at": initiative.last_published_at,
        "highlight": str(highlight(title, query.terms, None, words=200)) if query else None,
    }


class InitiativeSearchApi(ApiView):
    @extend_schema(
        operation_id="initiatives_search",
        summary="Search and browse published entries",
        description="Published entries matching the search and the facet filters, a page at a "
        "time, with every facet's counts. Without q, all published entries; sort defaults to "
        "relevance for a search and to recently updated otherwise.",
        parameters=[
            *SEARCH_PARAMETERS,
            OpenApiParameter("sort", OpenApiTypes.STR, enum=list(SORTS)),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="1 to 100."),
        ],
        responses={
            200: inline_serializer(
                name="InitiativeSearch",
                fields={
                    "count": serializers.IntegerField(),
                    "page": serializers.IntegerField(),
                    "page_size": serializers.IntegerField(),
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "corrected": serializers.DictField(
                        child=serializers.CharField(),
                        help_text="When nothing matched as written: {word: near spelling "
                        "searched for as well}.",
                    ),
                    "results": RESULT,
                    "facets": FACETS_FIELD,
                },
            ),
            **BAD_REQUEST,
        },
        tags=["initiatives"],
    )
    def get(self, request):
        data, filters = search_parameters(request)
        query = parse_query(data.get("q", ""))
        result = search_browse(
            query=query,
            filters=filters,
            good_practice=data["good_practice"],
            sort=data.get("sort") or ("relevance" if query else "updated"),
            language=request.LANGUAGE_CODE,
        )
        size, number = data["page_size"], data["page"]
        entries = initiative_public_in_order(
            ids=result.ids((number - 1) * size, size), index=result.index
        )
        return Response(
            {
                "count": result.total,
                "page": number,
                "page_size": size,
                **page_links(request, number=number, size=size, count=result.total),
                "corrected": result.corrected,
                "results": [_result(request, entry, result.query) for entry in entries],
                "facets": _facets(result),
            }
        )


class InitiativeFacetsApi(ApiView):
    @extend_schema(
        operation_id="initiatives_facets",
        summary="Facet counts alone",
        description="The counts of every facet for a search and filters, without the entries.",
        parameters=SEARCH_PARAMETERS,
        responses={
            200: inline_serializer(
                name="InitiativeFacets",
                fields={"count": serializers.IntegerField(), "facets": FACETS_FIELD},
            ),
            **BAD_REQUEST,
        },
        tags=["initiatives"],
    )
    def get(self, request):
        data, filters = search_parameters(request)
        result = search_browse(
            query=parse_query(data.get("q", "")),
            filters=filters,
            good_practice=data["good_practice"],
        )
        return Response({"count": result.total, "facets": _facets(result)})
