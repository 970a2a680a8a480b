"""Organisations through the API: a searchable, paged list and one organisation, each with
the number of published entries it leads (the same counts as the site's pages)."""

from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from stocktake.api.base import ApiView, page_of, paginate, problem
from stocktake.core.i18n import localized
from stocktake.initiatives.api.entries import (
    MAX_ID,
    OrganisationSummarySerializer,
    organisation_data,
)
from stocktake.initiatives.selectors import organisation_entry_counts

from .selectors import organisation_public_get, organisation_public_list

NOT_FOUND = _("There is no organisation with this id.")


class OrganisationSerializer(OrganisationSummarySerializer):
    descriptions = serializers.DictField(child=serializers.CharField())
    description = serializers.CharField(
        allow_blank=True, help_text="In the language asked for, else the nearest."
    )
    published_entries = serializers.IntegerField(help_text="Published entries it leads.")
    entries_url = serializers.URLField(help_text="Those entries, from the search endpoint.")


class OrganisationSearch(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)


def _organisation(request, organisation, counts: dict[int, int]) -> dict:
    search = reverse("api-initiative-search") + "?" + urlencode({"organisation": organisation.pk})
    return {
        **organisation_data(request, organisation),
        "descriptions": dict(organisation.descriptions or {}),
        "description": localized(organisation.descriptions),
        "published_entries": counts.get(organisation.pk, 0),
        "entries_url": request.build_absolute_uri(search),
    }


class OrganisationListApi(ApiView):
    @extend_schema(
        operation_id="organisations_list",
        summary="Organisations",
        description="Every organisation, by slug (a stable order), a page at a time; q finds "
        "those whose name (in any language), acronym or slug contains it.",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Part of a name or acronym."),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="1 to 100."),
        ],
        responses={
            200: page_of("OrganisationPage", OrganisationSerializer(many=True)),
            400: problem(_("A bad parameter (see errors).")),
        },
        tags=["organisations"],
    )
    def get(self, request):
        search = OrganisationSearch(data=request.query_params.dict())
        search.is_valid(raise_exception=True)
        queryset = organisation_public_list(q=search.validated_data.get("q", "").strip())
        counts = organisation_entry_counts()
        return Response(
            paginate(
                request,
                queryset,
                serialize=lambda items: [_organisation(request, o, counts) for o in items],
            )
        )


class OrganisationDetailApi(ApiView):
    @extend_schema(
        operation_id="organisations_retrieve",
        summary="One organisation",
        responses={200: OrganisationSerializer, 404: problem(_("No organisation has this id."))},
        tags=["organisations"],
    )
    def get(self, request, pk: int):
        organisation = organisation_public_get(pk=pk) if 0 < pk <= MAX_ID else None
        if organisation is None:
            raise Http404(NOT_FOUND)
        return Response(_organisation(request, organisation, organisation_entry_counts()))
