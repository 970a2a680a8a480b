"""Countries with published entries, and how many each has (as on the countries page)."""

from django.urls import reverse
from django.utils.http import urlencode
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from stocktake.api.base import ApiView

from ..selectors import country_terms_with_counts

COUNTRY = inline_serializer(
    name="Country",
    fields={
        "code": serializers.CharField(help_text="ISO 3166-1 alpha-2."),
        "label": serializers.CharField(help_text="In the language asked for (Accept-Language)."),
        "labels": serializers.DictField(child=serializers.CharField()),
        "published_entries": serializers.IntegerField(),
        "page_url": serializers.URLField(help_text="The country's page on the site."),
        "entries_url": serializers.URLField(help_text="Its entries, from the search endpoint."),
    },
    many=True,
)


class CountryListApi(ApiView):
    @extend_schema(
        operation_id="countries_list",
        summary="Countries with published entries",
        description="Every country where a published entry is implemented, with the number "
        "of such entries, by code. All at once (there are at most a few hundred).",
        responses={
            200: inline_serializer(
                name="CountryList",
                fields={"count": serializers.IntegerField(), "results": COUNTRY},
            )
        },
        tags=["countries"],
    )
    def get(self, request):
        countries = sorted(country_terms_with_counts(), key=lambda term: term.code)
        search = reverse("api-initiative-search")
        results = [
            {
                "code": term.code,
                "label": term.label,
                "labels": dict(term.labels or {}),
                "published_entries": term.entry_count,
                "page_url": request.build_absolute_uri(
                    reverse("initiatives:country-detail", args=[term.code])
                ),
                "entries_url": request.build_absolute_uri(
                    f"{search}?{urlencode({'countries': term.code})}"
                ),
            }
            for term in countries
        ]
        return Response({"count": len(results), "results": results})
